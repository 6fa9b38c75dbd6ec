import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { Database, type Transaction } from '../../database/database.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { vietQrBaseUrl } from '../vietqr/vietqr.client.js';
import type { CreateRefundDto } from './dto/create-refund.dto.js';
import type { RefundDto } from './dto/refund.dto.js';
import { toRefundDto } from './refund.mapper.js';
import { allocate } from './refund-rules.js';
import { RefundSettlementService } from './refund-settlement.service.js';
import { RefundWorker } from './refund-worker.js';
import { RefundException } from './refund.exception.js';
import type { RefundMethod, RefundRecord, RefundSource } from './refund.record.js';
import { RefundSourcesRepository } from './refund-sources.repository.js';
import { RefundsRepository } from './refunds.repository.js';

const MAX_KEY_LENGTH = 255;

/** JSON with object keys sorted, so two bodies that differ only in key order hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
const UNIQUE_VIOLATION = '23505';

export interface CreateRefundResult {
  refund: RefundDto;
  /** The refund an earlier request with the same Idempotency-Key created. */
  replayed: boolean;
}

/** An operator acts on any client's money; an order system on its own payments'. */
export function isOperator(client: ApiClient): boolean {
  return client.role === 'operator';
}

interface Target {
  paymentId: string | null;
  sourceTransactionId: string | null;
  clientId: string | null;
  sources: RefundSource[];
}

/**
 * Accepts refunds. What is refundable is decided under the row lock of the payment (or, for money no
 * payment claims, of the transfer), so concurrent refunds can never together exceed what arrived. The
 * refund is only recorded here; the worker carries it to VietQR.
 */
@Injectable()
export class RefundCreationService {
  private readonly method: RefundMethod;

  constructor(
    private readonly database: Database,
    private readonly refunds: RefundsRepository,
    private readonly sources: RefundSourcesRepository,
    private readonly settlement: RefundSettlementService,
    private readonly worker: RefundWorker,
    config: AppConfig,
  ) {
    const viaVietQr =
      config.vietqr.bankCode.toUpperCase() === 'MB' &&
      config.vietqr.refundSecretKey !== undefined &&
      vietQrBaseUrl(config) !== undefined;
    this.method = viaVietQr ? 'vietqr' : 'manual';
  }

  async forPayment(
    client: ApiClient,
    paymentId: string,
    dto: CreateRefundDto,
    key: string | undefined,
  ): Promise<CreateRefundResult> {
    const request = { target: 'payment', paymentId, ...dto };
    return this.create(client, key, request, async (tx) => {
      const payment = await this.sources.lockPayment(tx, paymentId, isOperator(client) ? null : client.id);
      if (!payment) throw new RefundException(ErrorCode.PaymentNotFound, `Payment ${paymentId} not found`);
      const sources = await this.sources.paymentSources(tx, paymentId);
      if (sources.length === 0) {
        throw new RefundException(
          ErrorCode.PaymentNotRefundable,
          `No money arrived for payment ${paymentId}: nothing to refund`,
        );
      }
      return { paymentId, sourceTransactionId: null, clientId: payment.clientId, sources };
    });
  }

  /** A transfer of the review queue: unmatched money (of no client) or late money (of its payment's). */
  async forTransaction(
    client: ApiClient,
    transactionId: string,
    dto: CreateRefundDto,
    key: string | undefined,
  ): Promise<CreateRefundResult> {
    const request = { target: 'transaction', transactionId, ...dto };
    return this.create(client, key, request, async (tx) => {
      const row = await this.sources.lockTransaction(tx, transactionId);
      if (!row) {
        throw new RefundException(ErrorCode.TransactionNotFound, `No bank transaction ${transactionId}`);
      }
      const refundable = row.status === 'unmatched' || row.status === 'late' || row.status === 'dismissed';
      if (row.transType !== 'C' || !refundable) {
        throw new RefundException(
          ErrorCode.TransactionNotRefundable,
          `Bank transaction ${transactionId} is ${row.transType === 'D' ? 'a debit' : row.status}; ` +
            'only unmatched, late or dismissed money is refunded from the review queue',
          { status: row.status },
        );
      }
      // Late money is the payment's: its lock also guards refunds of the payment as a whole.
      const payment = row.paymentId ? await this.sources.lockPayment(tx, row.paymentId, null) : null;
      const source = await this.sources.transactionSource(tx, transactionId);
      return {
        paymentId: payment?.id ?? null,
        sourceTransactionId: transactionId,
        clientId: payment?.clientId ?? null,
        sources: [source],
      };
    });
  }

  private async create(
    client: ApiClient,
    key: string | undefined,
    request: Record<string, unknown>,
    lockTarget: (tx: Transaction) => Promise<Target>,
  ): Promise<CreateRefundResult> {
    if (key === undefined || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      const problem = `Idempotency-Key header is required (1 to ${MAX_KEY_LENGTH} characters)`;
      throw new RefundException(ErrorCode.ValidationFailed, problem, {
        fields: [{ field: 'Idempotency-Key', problems: [problem] }],
      });
    }
    const hash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    let result: { refund: RefundRecord; replayed: boolean };
    try {
      result = await this.database.transaction(async (tx) => {
        const target = await lockTarget(tx);
        const earlier = await this.refunds.findByIdempotencyKey(tx, client.id, key);
        if (earlier) return { refund: this.replay(earlier, hash), replayed: true };
        return { refund: await this.insert(tx, client, key, hash, request, target), replayed: false };
      });
    } catch (error) {
      // The same key used at the same moment on another payment: the first one's refund is the answer.
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      const earlier = await this.refunds.findByIdempotencyKey(this.database, client.id, key);
      if (!earlier) throw error;
      return { refund: toRefundDto(this.replay(earlier, hash)), replayed: true };
    }
    if (!result.replayed && result.refund.status === 'PENDING') this.worker.kick();
    return { refund: toRefundDto(result.refund), replayed: result.replayed };
  }

  private replay(earlier: RefundRecord, hash: string): RefundRecord {
    if (earlier.requestHash !== hash) {
      throw new RefundException(
        ErrorCode.IdempotencyKeyMismatch,
        'This Idempotency-Key was used with a different refund request',
      );
    }
    return earlier;
  }

  private async insert(
    tx: Transaction,
    client: ApiClient,
    key: string,
    hash: string,
    request: Record<string, unknown>,
    target: Target,
  ): Promise<RefundRecord> {
    const refundable = target.sources.reduce((sum, s) => sum + s.refundable, 0);
    const requested = typeof request.amount === 'number' ? request.amount : refundable;
    if (requested === 0 || requested > refundable) {
      throw new RefundException(
        ErrorCode.RefundExceedsRefundable,
        `Only ${refundable} VND is refundable${requested > 0 ? `, not ${requested}` : ''}`,
        { refundable, requested },
      );
    }
    const manual = this.method === 'manual';
    const id = await this.refunds.insert(tx, {
      paymentId: target.paymentId,
      sourceTransactionId: target.sourceTransactionId,
      clientId: target.clientId,
      createdByClientId: client.id,
      createdBy: `client:${client.name}`,
      idempotencyKey: key,
      requestHash: hash,
      amount: requested,
      reason: request.reason as string,
      metadata: (request.metadata as Record<string, unknown> | undefined) ?? null,
      method: this.method,
      status: manual ? 'REQUIRES_ACTION' : 'PENDING',
      parts: allocate(requested, target.sources).map((p) => ({
        ...p,
        state: manual ? 'requires_action' : 'pending',
      })),
    });
    if (manual) {
      await this.refunds.setStatus(tx, id, 'REQUIRES_ACTION', {
        code: 'MANUAL',
        message:
          "Refunds through VietQR's API need an MB account and VIETQR_REFUND_SECRET_KEY: pay it by hand",
      });
    }
    if (target.sourceTransactionId && !target.paymentId) {
      await this.sources.dismissForRefund(tx, target.sourceTransactionId, id, `client:${client.name}`);
    }
    const refund = (await this.refunds.findById(tx, id))!;
    if (manual) await this.settlement.emit(tx, refund);
    return refund;
  }
}
