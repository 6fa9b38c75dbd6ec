import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { IssuedQr, QrIssuer, QrIssueRequest } from './qr-issuer.js';
import { VietQrClient } from '../vietqr/vietqr.client.js';
import { VietQrErrorDetails, VietQrException } from '../vietqr/vietqr.exception.js';
import { findTraceId, toBankName } from '../vietqr/vietqr-text.js';
import type { GenerateCustomerRequest, GenerateCustomerResponse } from '../vietqr/vietqr.types.js';
import { IssuedFields, QrOrderRow, QrOrdersRepository, StoredError } from './qr-orders.repository.js';

const PAYMENT_CODE = /^[A-Z0-9]{1,13}$/;
const POLL_MS = 100;

/**
 * QR_PROVIDER=vietqr: one generate-customer order per payment, persisted in qr_order. A payment's first
 * caller claims the row (insert-first) and calls VietQR without holding a transaction; concurrent callers,
 * here or on another instance, wait for its answer. A later call returns the stored QR without calling
 * VietQR; after a failure it orders again with the same orderId (and the current bank settings).
 */
@Injectable()
export class VietQrQrIssuer extends QrIssuer {
  private readonly logger = new Logger(VietQrQrIssuer.name);
  private readonly inFlight = new Map<string, Promise<IssuedQr>>();
  // Token, refused call, new token, repeated call: the longest a claim holder can legitimately take.
  private readonly claimMs: number;

  constructor(
    private readonly config: AppConfig,
    private readonly client: VietQrClient,
    private readonly orders: QrOrdersRepository,
  ) {
    super();
    this.claimMs = 4 * config.vietqr.timeoutMs + 1_000;
  }

  async issue(request: QrIssueRequest): Promise<IssuedQr> {
    if (!PAYMENT_CODE.test(request.code)) {
      throw new Error(`payment code ${JSON.stringify(request.code)} must be 1-13 characters A-Z0-9`);
    }
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
      throw new Error(`payment amount ${request.amount} must be a positive whole number of VND`);
    }
    const running = this.inFlight.get(request.paymentId);
    if (running) return running;
    const issuing = this.issueOnce(request).finally(() => this.inFlight.delete(request.paymentId));
    this.inFlight.set(request.paymentId, issuing);
    return issuing;
  }

  private async issueOnce(request: QrIssueRequest): Promise<IssuedQr> {
    const generate = this.generateRequest(request);
    const claimed = await this.orders.insertClaimed(
      {
        paymentId: request.paymentId,
        orderId: request.code,
        amount: request.amount,
        request: generate,
        bankCode: generate.bankCode,
        bankAccount: generate.bankAccount,
        accountName: generate.userBankName,
      },
      this.claimMs,
    );
    if (claimed) return this.order(request.paymentId, generate);

    let sawPending = false;
    for (;;) {
      const row = await this.orders.findByPaymentId(request.paymentId);
      if (!row) throw new Error(`qr_order of payment ${request.paymentId} vanished`);
      switch (row.status) {
        case 'issued':
          return this.toIssuedQr(row);
        case 'failed':
          // The attempt we waited for failed: report its failure rather than repeat it at once.
          if (sawPending) throw this.restoreError(row.lastError);
          if (await this.orders.reclaim(request.paymentId, this.claimMs)) {
            return this.order(request.paymentId, generate);
          }
          break;
        case 'pending':
          sawPending = true;
          if (row.claimExpired && (await this.orders.reclaim(request.paymentId, this.claimMs))) {
            this.logger.warn(`Taking over the stale QR order of payment ${request.paymentId}`);
            return this.order(request.paymentId, generate);
          }
          break;
      }
      await sleep(POLL_MS);
    }
  }

  private async order(paymentId: string, generate: GenerateCustomerRequest): Promise<IssuedQr> {
    let response: GenerateCustomerResponse;
    try {
      response = await this.client.generateCustomer(generate);
    } catch (error) {
      await this.orders.markFailed(paymentId, generate, this.storableError(error));
      throw error;
    }
    const fields = this.issuedFields(response, generate);
    await this.orders.markIssued(paymentId, generate, response, fields);
    return { provider: 'vietqr', ...fields };
  }

  private generateRequest(request: QrIssueRequest): GenerateCustomerRequest {
    const { bankCode, bankAccount, accountName } = this.config.vietqr;
    // The payment code is both orderId and content: short, alphanumeric, safe in every bank's flow.
    return {
      bankCode,
      bankAccount,
      userBankName: toBankName(accountName),
      content: request.code,
      qrType: 0,
      amount: request.amount,
      orderId: request.code,
      transType: 'C',
    };
  }

  private issuedFields(response: GenerateCustomerResponse, sent: GenerateCustomerRequest): IssuedFields {
    return {
      content: response.content,
      traceId: findTraceId(response.content),
      qrCode: response.qrCode,
      qrLink: response.qrLink || null,
      transactionRefId: response.transactionRefId || null,
      bankCode: response.bankCode || sent.bankCode,
      bankAccount: response.bankAccount || sent.bankAccount,
      accountName: response.userBankName || sent.userBankName,
    };
  }

  private toIssuedQr(row: QrOrderRow): IssuedQr {
    return {
      provider: 'vietqr',
      content: row.content!,
      traceId: row.traceId,
      qrCode: row.qrCode!,
      qrLink: row.qrLink,
      transactionRefId: row.transactionRefId,
      bankCode: row.bankCode,
      bankAccount: row.bankAccount,
      accountName: row.accountName,
    };
  }

  private storableError(error: unknown): StoredError {
    if (error instanceof AppException) {
      return { code: error.code, message: error.message, details: error.details };
    }
    return { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
  }

  private restoreError(stored: StoredError | null): Error {
    const code = stored?.code as ErrorCode | undefined;
    if (
      stored?.details &&
      (code === ErrorCode.UpstreamError ||
        code === ErrorCode.UpstreamTimeout ||
        code === ErrorCode.UpstreamUnavailable)
    ) {
      return new VietQrException(code, stored.message, stored.details as VietQrErrorDetails);
    }
    return new Error(stored?.message ?? 'the QR order failed');
  }
}
