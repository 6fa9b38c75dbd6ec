import { randomInt, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { refundChecksum } from '../vietqr/vietqr.client.js';
import type { VietQrActionResult } from '../vietqr/vietqr.types.js';
import { SandboxDeliveryService } from './sandbox-delivery.service.js';
import { SandboxState, SandboxTransaction } from './sandbox-state.js';
import { SandboxFailure } from './sandbox.exception.js';

const AMOUNT = /^\d{1,13}$/;

function field(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value === 'number' && key === 'amount') return String(value);
  if (typeof value !== 'string' || value.trim() === '') throw new SandboxFailure('E46');
  return value;
}

/**
 * The emulated api/transaction/refund (vietqr-api.md §1.5): checksum (E39), account (E77), the original
 * paid transaction (E44), a lock per transaction after each request (E158), the amount left (E45),
 * multiTimes fixed by the first refund (E157). A refund answers its FT code, then VietQR reports the
 * refund's debit to the partner's transaction-sync (transType D).
 */
@Injectable()
export class SandboxRefundService {
  private readonly logger = new Logger('SandboxRefund');

  constructor(
    private readonly config: AppConfig,
    private readonly state: SandboxState,
    private readonly delivery: SandboxDeliveryService,
  ) {}

  async refund(input: unknown): Promise<VietQrActionResult> {
    this.state.stats.refundRequests++;
    const rule = this.state.refundRules.shift();
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new SandboxFailure('E46');
    const body = input as Record<string, unknown>;
    const bankAccount = field(body, 'bankAccount');
    const referenceNumber = field(body, 'referenceNumber');
    const amountText = field(body, 'amount');
    const content = field(body, 'content');
    const checkSum = field(body, 'checkSum');
    field(body, 'bankCode');
    const multiTimes = body.multiTimes === true || body.multiTimes === 'true';

    const secretKey = this.config.vietqr.refundSecretKey;
    // A merchant VietQR gave no secretKey has no refund permission.
    if (!secretKey) throw new SandboxFailure('E42');
    if (checkSum !== refundChecksum(secretKey, referenceNumber, amountText, bankAccount)) {
      throw new SandboxFailure('E39');
    }
    if (!this.state.accounts.has(bankAccount)) throw new SandboxFailure('E77');
    if (rule?.failWith) throw new SandboxFailure(rule.failWith);

    const original = this.state.transactionsByReference.get(referenceNumber);
    if (
      !original ||
      original.bankAccount !== bankAccount ||
      original.transType !== 'C' ||
      original.status !== 1
    ) {
      throw new SandboxFailure('E44');
    }
    const now = Date.now();
    if ((original.refundLockUntil ?? 0) > now) throw new SandboxFailure('E158');
    original.refundLockUntil = now + this.config.sandbox.refundLockMs;

    const amount = AMOUNT.test(amountText.trim()) ? Number(amountText.trim()) : 0;
    const refunded = original.amountRefunded ?? 0;
    if (amount <= 0 || refunded + amount > original.amount) throw new SandboxFailure('E45');
    const count = original.refundCount ?? 0;
    if (count > 0 && original.multiTimes !== true) throw new SandboxFailure('E157');

    const apply = rule?.apply !== false;
    const ftCode = apply ? this.apply(original, amount, content, count === 0 ? multiTimes : undefined) : '';
    if (rule?.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
    if (!apply) throw new SandboxFailure('E43');
    return { status: 'SUCCESS', message: ftCode };
  }

  private apply(original: SandboxTransaction, amount: number, content: string, multiTimes?: boolean): string {
    this.state.stats.refundsApplied++;
    if (multiTimes !== undefined) original.multiTimes = multiTimes;
    original.refundCount = (original.refundCount ?? 0) + 1;
    original.amountRefunded = (original.amountRefunded ?? 0) + amount;
    const ftCode = `FT${Date.now().toString().slice(-8)}${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    const now = Date.now();
    this.state.indexTransaction({
      referenceNumber: ftCode,
      orderId: '',
      amount,
      content,
      bankAccount: original.bankAccount,
      transType: 'D',
      status: 1,
      type: 6,
      timeCreated: now,
      timePaid: now,
      terminalCode: original.terminalCode,
      note: original.referenceNumber,
    });
    // The bank reports the money leaving the account, as for any balance change, after the answer.
    setImmediate(() => {
      this.delivery
        .deliver({
          transactionid: randomUUID(),
          transactiontime: now,
          referencenumber: ftCode,
          amount,
          content,
          bankaccount: original.bankAccount,
          transType: 'D',
          orderId: '',
          sign: '',
          terminalCode: original.terminalCode,
          subTerminalCode: '',
          serviceCode: '',
          urlLink: '',
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, `Debit callback of ${ftCode} failed`));
    });
    return ftCode;
  }
}
