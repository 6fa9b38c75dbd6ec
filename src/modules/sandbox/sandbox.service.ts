import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { buildNapasPayload } from '../qr-orders/napas-payload.js';
import { findBank } from '../vietqr/banks.js';
import { findTraceId } from '../vietqr/vietqr-text.js';
import type { CheckOrderItem, GenerateCustomerResponse, VietQrActionResult } from '../vietqr/vietqr.types.js';
import { SandboxAuth } from './sandbox-auth.js';
import { SandboxDeliveryService, TransactionSyncBody } from './sandbox-delivery.service.js';
import { SandboxQr, SandboxState, SandboxTransaction } from './sandbox-state.js';
import { SandboxFailure } from './sandbox.exception.js';

type Body = Record<string, unknown>;

function asObject(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new SandboxFailure('E46');
  return body as Body;
}

function requiredString(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value.trim() === '') throw new SandboxFailure('E46');
  return value;
}

function optionalString(body: Body, key: string): string {
  const value = body[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new SandboxFailure('E46');
  return value;
}

/** Jackson reads a number or a numeric string into VietQR's Long/Integer fields. */
function wholeNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return null;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MB_MMS_CONTENT = /^[A-Za-z0-9 ]{1,19}$/;

/** The emulated VietQR: generate-customer, test-callback and check-order as vietqr-api.md §1 describes. */
@Injectable()
export class SandboxService {
  constructor(
    private readonly config: AppConfig,
    private readonly state: SandboxState,
    private readonly auth: SandboxAuth,
    private readonly delivery: SandboxDeliveryService,
  ) {
    state.accounts.add(config.vietqr.bankAccount);
  }

  token(authorization: string | undefined) {
    return this.auth.issue(authorization);
  }

  generateCustomer(input: unknown): GenerateCustomerResponse {
    this.state.stats.generateRequests++;
    const body = asObject(input);
    const bankCode = requiredString(body, 'bankCode');
    const bankAccount = requiredString(body, 'bankAccount');
    const userBankName = requiredString(body, 'userBankName');
    const content = requiredString(body, 'content');
    const qrType = body.qrType === undefined || body.qrType === null ? 0 : wholeNumber(body.qrType);
    if (qrType !== 0 && qrType !== 1 && qrType !== 3) throw new SandboxFailure('E46');
    // Semi-dynamic QRs only work for MB accounts with MMS, which the emulator does not model.
    if (qrType === 3) throw new SandboxFailure('E46');
    const transType = body.transType === undefined || body.transType === null ? 'C' : body.transType;
    if (transType !== 'C' && transType !== 'D') throw new SandboxFailure('E46');
    const orderId = optionalString(body, 'orderId');
    const terminalCode = optionalString(body, 'terminalCode');
    let amount: number | null = null;
    if (body.amount !== undefined && body.amount !== null) {
      amount = wholeNumber(body.amount);
      if (amount === null || amount <= 0) throw new SandboxFailure('E46');
    }
    if (qrType === 0 && (amount === null || orderId === '')) throw new SandboxFailure('E46');
    if (qrType === 1 && terminalCode === '') throw new SandboxFailure('E46');

    const bank = findBank(bankCode);
    if (!bank) throw new SandboxFailure('E24');
    if (!PRINTABLE_ASCII.test(content) || !PRINTABLE_ASCII.test(userBankName))
      throw new SandboxFailure('E46');
    // MB's flow limits content and orderId (E34); the generic flow only refuses content over 50 (E26).
    if (bank.code === 'MB' && (!MB_MMS_CONTENT.test(content) || orderId.length > 13)) {
      throw new SandboxFailure('E34');
    }
    if (content.length > 50) throw new SandboxFailure('E26');

    const traceId = qrType === 0 ? `VQR${randomBytes(5).toString('hex')}` : `SQR${terminalCode}`;
    const finalContent = `${traceId} ${content}`;
    const transactionRefId = qrType === 0 ? randomBytes(18).toString('base64url') : '';
    const now = Date.now();
    const qr: SandboxQr = {
      traceId,
      orderId,
      amount,
      content: finalContent,
      bankAccount,
      transType,
      sign: optionalString(body, 'sign'),
      urlLink: optionalString(body, 'urlLink'),
      terminalCode,
      subTerminalCode: optionalString(body, 'subTerminalCode'),
      serviceCode: optionalString(body, 'serviceCode'),
      note: optionalString(body, 'note'),
      qrType,
      transaction:
        qrType === 0
          ? {
              referenceNumber: '',
              orderId,
              amount: amount!,
              content: finalContent,
              bankAccount,
              transType,
              status: 0,
              type: 0,
              timeCreated: now,
              timePaid: 0,
              terminalCode,
              note: optionalString(body, 'note'),
            }
          : null,
    };
    this.state.accounts.add(bankAccount);
    this.state.addQr(qr);
    return {
      bankCode: bank.code,
      bankName: bank.name,
      bankAccount,
      userBankName: userBankName.toUpperCase(),
      amount: amount === null ? '' : String(amount),
      content: finalContent,
      // VietQR's generator says "static" (11) even for a fixed amount.
      qrCode: buildNapasPayload({
        bankBin: bank.bin,
        accountNumber: bankAccount,
        amount: amount ?? undefined,
        purpose: finalContent,
        pointOfInitiation: '11',
      }),
      imgId: `emu-${bank.bin}`,
      existing: 1,
      transactionId: '',
      transactionRefId,
      qrLink: transactionRefId ? `https://vietqr.vn/qr/security?publicRefId=${transactionRefId}` : '',
      terminalCode: terminalCode || null,
      subTerminalCode: qr.subTerminalCode,
      serviceCode: qr.serviceCode,
      orderId,
      additionalData: Array.isArray(body.additionalData) ? body.additionalData : [],
    };
  }

  /** Pretends the transfer arrived, then calls the partner as production would; answers with its result. */
  async testCallback(username: string, input: unknown): Promise<VietQrActionResult> {
    this.state.stats.testCallbacks++;
    const body = asObject(input);
    const bankAccount = requiredString(body, 'bankAccount');
    const content = requiredString(body, 'content');
    const transType = requiredString(body, 'transType');
    const amount = wholeNumber(body.amount);
    if (amount === null || amount <= 0 || (transType !== 'C' && transType !== 'D')) {
      throw new SandboxFailure('E46');
    }
    if (!this.state.accounts.has(bankAccount)) throw new SandboxFailure('E77');

    // VietQR matches a dynamic QR by trace id + amount + transType; anything else arrives with orderId "".
    const traceId = findTraceId(content);
    const candidate = traceId ? this.state.qrsByTraceId.get(traceId) : undefined;
    const qr =
      candidate &&
      candidate.bankAccount === bankAccount &&
      candidate.transType === transType &&
      (candidate.amount === null || candidate.amount === amount)
        ? candidate
        : undefined;

    const uuid = randomUUID();
    const now = Date.now();
    const referenceNumber = `${username}-${uuid}`;
    this.recordTransaction(qr, {
      referenceNumber,
      orderId: qr?.orderId ?? '',
      amount,
      content,
      bankAccount,
      transType,
      status: 1,
      type: qr ? (qr.qrType === 1 ? 1 : 0) : 2,
      timeCreated: now,
      timePaid: now,
      terminalCode: qr?.terminalCode ?? '',
      note: qr?.note ?? '',
    });

    const sync: TransactionSyncBody = {
      transactionid: uuid,
      transactiontime: now,
      referencenumber: referenceNumber,
      amount,
      content,
      bankaccount: bankAccount,
      transType,
      orderId: qr?.orderId ?? '',
      sign: qr?.sign ?? '',
      terminalCode: qr?.terminalCode ?? '',
      subTerminalCode: qr?.subTerminalCode ?? '',
      serviceCode: qr?.serviceCode ?? '',
      urlLink: qr?.urlLink ?? '',
    };
    // The emulator's own knob: VietQR counts the transfer as paid, but the callback is lost on the way.
    if (body.deliver === false) return { status: 'SUCCESS', message: 'paid; callback not delivered' };
    const outcome = await this.delivery.deliver(sync);
    if (!outcome.accepted) throw new SandboxFailure(`E05 - ${outcome.said}`);
    return { status: 'SUCCESS', message: '' };
  }

  checkOrder(username: string, input: unknown): CheckOrderItem[] {
    this.state.stats.checkOrders++;
    const body = asObject(input);
    const bankAccount = requiredString(body, 'bankAccount');
    const value = requiredString(body, 'value');
    const checkSum = requiredString(body, 'checkSum');
    if (body.type === undefined || body.type === null) throw new SandboxFailure('E46');
    const type = wholeNumber(body.type);
    if (type !== 0 && type !== 1) throw new SandboxFailure('E95');
    const expected = createHash('md5')
      .update(bankAccount + username, 'utf8')
      .digest('hex');
    if (checkSum !== expected) throw new SandboxFailure('E39');
    if (!this.state.accounts.has(bankAccount)) throw new SandboxFailure('E77');
    const found =
      type === 0
        ? (this.state.transactionsByOrderId.get(value) ?? [])
        : [this.state.transactionsByReference.get(value)].filter((t) => t !== undefined);
    const mine = found.filter((t) => t.bankAccount === bankAccount);
    if (mine.length === 0) throw new SandboxFailure('E96');
    return mine.map((t) => ({
      referenceNumber: t.referenceNumber,
      orderId: t.orderId,
      amount: t.amount,
      content: t.content,
      transType: t.transType,
      status: t.status,
      type: t.type,
      timeCreated: Math.floor(t.timeCreated / 1000),
      timePaid: Math.floor(t.timePaid / 1000),
      terminalCode: t.terminalCode,
      note: t.note,
      refundCount: t.refundCount ?? 0,
      amountRefunded: t.amountRefunded ?? 0,
    }));
  }

  /** The QR's pending transaction becomes paid; a second payment of it (or an unmatched one) is a new row. */
  private recordTransaction(qr: SandboxQr | undefined, paid: SandboxTransaction): void {
    const pending = qr?.transaction;
    if (pending && pending.status === 0) {
      Object.assign(pending, { ...paid, timeCreated: pending.timeCreated });
      this.state.indexTransaction(pending);
      return;
    }
    this.state.indexTransaction(paid);
  }
}
