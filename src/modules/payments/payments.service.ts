import { decodeCursor, encodeCursor, isUuid, UUID_PATTERN } from '../../common/http/cursor.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { EventType } from '../outbox/outbox.types.js';
import { CancelPaymentDto } from './dto/cancel-payment.dto.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto.js';
import type { PaymentDetailDto, PaymentDto, PaymentListDto } from './dto/payment.dto.js';
import { IdempotencyService } from './idempotency.service.js';
import type { Cause, CreditOutcome, IncomingCredit } from './incoming-credit.js';
import { contentCandidates, newPaymentCode, normaliseContent, PAYMENT_CODE_PREFIX } from './payment-code.js';
import { isClosed, isOpen, statusForPaid, type PaymentStatus } from './payment-status.js';
import { PaymentException } from './payment.exception.js';
import { toPaymentDetailDto, toPaymentDto, toTransactionDto } from './payment.mapper.js';
import type { PaymentRecord } from './payment.record.js';
import { PaymentsRepository } from './payments.repository.js';
import { QrIssuer } from './qr-issuer.port.js';

const DEFAULT_PAGE_SIZE = 20;
const CODE_ATTEMPTS = 5;

export interface CreatePaymentResult {
  status: number;
  body: PaymentDto;
  /** The stored response of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

function accountDigits(account: string): string {
  return account.replace(/[^0-9A-Za-z]/g, '');
}

function eventOfCredit(status: PaymentStatus, late: boolean): EventType | null {
  if (late) return 'payment.late_payment';
  switch (status) {
    case 'PARTIALLY_PAID':
      return 'payment.partially_paid';
    case 'PAID':
      return 'payment.paid';
    case 'OVERPAID':
      return 'payment.overpaid';
    case 'PENDING':
    case 'EXPIRED':
    case 'CANCELLED':
      return null;
  }
}

@Injectable()
export class PaymentsService {
  private readonly publicBaseUrl: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    private readonly qrIssuer: QrIssuer,
    private readonly config: AppConfig,
  ) {
    this.publicBaseUrl = config.http.publicBaseUrl.replace(/\/+$/, '');
  }

  async create(
    client: ApiClient,
    dto: CreatePaymentDto,
    idempotencyKey?: string,
  ): Promise<CreatePaymentResult> {
    if (idempotencyKey === undefined) {
      return { status: 201, body: await this.createOnce(client, dto), replayed: false };
    }
    const decision = await this.idempotency.begin(client.id, idempotencyKey, dto);
    if (decision.kind === 'replay') {
      return { status: decision.status, body: decision.body as PaymentDto, replayed: true };
    }
    try {
      const body = await this.createOnce(client, dto, (manager, payment) =>
        decision.claim.complete(manager, 201, payment),
      );
      return { status: 201, body, replayed: false };
    } catch (error) {
      await decision.claim.release();
      throw error;
    }
  }

  /**
   * Inserts the payment, then asks for its QR outside any database transaction, then stores the QR. When
   * the QR could not be obtained, the payment stays without one and a retried POST for the same order
   * resumes it (same id and code, so the idempotent issuer orders no second QR upstream).
   */
  private async createOnce(
    client: ApiClient,
    dto: CreatePaymentDto,
    alsoInTransaction?: (manager: EntityManager, payment: PaymentDto) => Promise<void>,
  ): Promise<PaymentDto> {
    const description = dto.description ?? null;
    const metadata = dto.metadata ?? null;
    let payment: PaymentRecord | null = null;
    for (let attempt = 0; attempt < CODE_ATTEMPTS && !payment; attempt++) {
      payment = await this.payments.insertIfAbsent({
        clientId: client.id,
        orderId: dto.orderId,
        code: newPaymentCode(),
        amount: dto.amount,
        description,
        metadata,
        expiresInSeconds: dto.expiresInSeconds ?? this.config.payments.defaultExpiresInSeconds,
        actor: `client:${client.name}`,
      });
      if (payment) break;
      const existing = await this.payments.findByOrderId(client.id, dto.orderId);
      if (!existing) continue; // the random code was taken: draw another
      const resumable =
        existing.qrCode === null &&
        existing.status === 'PENDING' &&
        existing.amount === dto.amount &&
        existing.description === description &&
        JSON.stringify(existing.metadata) === JSON.stringify(metadata);
      if (!resumable) {
        throw new PaymentException(
          ErrorCode.DuplicateOrderId,
          `A payment for order ${dto.orderId} exists: ${existing.id}`,
          { paymentId: existing.id },
        );
      }
      payment = existing;
    }
    if (!payment) throw new Error('Could not draw an unused payment code');

    const issued = await this.qrIssuer.issue({
      paymentId: payment.id,
      code: payment.code,
      amount: payment.amount,
      description,
    });
    const paymentId = payment.id;
    if (!alsoInTransaction)
      return this.toDto(await this.payments.storeQr(this.dataSource, paymentId, issued));
    return this.dataSource.transaction(async (manager) => {
      const body = this.toDto(await this.payments.storeQr(manager, paymentId, issued));
      await alsoInTransaction(manager, body);
      return body;
    });
  }

  async get(client: ApiClient, id: string): Promise<PaymentDetailDto> {
    const detail = isUuid(id) ? await this.payments.findDetail(id, client.id) : null;
    if (!detail) throw this.notFound(id);
    return toPaymentDetailDto(detail, this.publicBaseUrl);
  }

  async list(client: ApiClient, query: ListPaymentsQueryDto): Promise<PaymentListDto> {
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, UUID_PATTERN);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.payments.list(
      client.id,
      {
        orderId: query.orderId,
        status: query.status,
        createdFrom: query.createdFrom,
        createdTo: query.createdTo,
        afterId,
      },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    return {
      data: page.map((p) => this.toDto(p)),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /** PENDING or PARTIALLY_PAID → CANCELLED. Cancelling a cancelled payment answers it unchanged. */
  async cancel(client: ApiClient, id: string, dto: CancelPaymentDto): Promise<PaymentDto> {
    if (!isUuid(id)) throw this.notFound(id);
    return this.dataSource.transaction(async (manager) => {
      const payment = await this.payments.lockForClient(manager, id, client.id);
      if (!payment) throw this.notFound(id);
      if (payment.status === 'CANCELLED') return this.toDto(payment);
      if (!isOpen(payment.status)) {
        throw new PaymentException(
          ErrorCode.PaymentNotCancellable,
          `Payment ${id} is ${payment.status} and can no longer be cancelled`,
          { status: payment.status },
        );
      }
      const cancelled = await this.payments.transition(
        manager,
        payment,
        'CANCELLED',
        `client:${client.name}`,
        dto.reason ?? null,
      );
      const body = this.toDto(cancelled);
      await this.emit(manager, 'payment.cancelled', cancelled, { payment: body });
      return body;
    });
  }

  /**
   * Links a recorded bank transaction to the payment it pays, in the caller's database transaction (the
   * one that inserted the ledger row). Credits only; the callback's orderId (our payment code) wins, else
   * a VietQR trace id or payment code found in the content; the receiving account must be the payment's.
   */
  async applyCredit(manager: EntityManager, credit: IncomingCredit, cause: Cause): Promise<CreditOutcome> {
    if (credit.transType !== 'C') return { result: 'unmatched', reason: 'debit' };
    if (!(credit.amount > 0)) return { result: 'unmatched', reason: 'no_match' };
    const orderCode = credit.orderId ? normaliseContent(credit.orderId) : null;
    const candidates = contentCandidates(credit.content);
    const codes = candidates.filter((c) => c.startsWith(PAYMENT_CODE_PREFIX));
    if (orderCode) codes.unshift(orderCode);
    const traceIds = candidates.filter((c) => !c.startsWith(PAYMENT_CODE_PREFIX));
    if (codes.length === 0 && traceIds.length === 0) return { result: 'unmatched', reason: 'no_match' };

    const found = await this.payments.lockByCodeOrTraceId(manager, codes, traceIds);
    const byToken = (token: string) =>
      found.find((p) => p.code === token || (p.qrTraceId !== null && p.qrTraceId.toUpperCase() === token));
    const payment =
      (orderCode ? found.find((p) => p.code === orderCode) : undefined) ??
      candidates.map(byToken).find((p) => p !== undefined);
    if (!payment) return { result: 'unmatched', reason: 'no_match' };
    return this.link(manager, payment, credit, cause, false);
  }

  /**
   * Links a bank transaction to a payment chosen by a person (the review queue). Same rules as
   * applyCredit: credits only, the account must be the payment's; the payment must be the client's.
   */
  async linkManually(
    manager: EntityManager,
    credit: IncomingCredit,
    paymentId: string,
    client: ApiClient,
    cause: Cause,
  ): Promise<CreditOutcome> {
    if (!isUuid(paymentId)) throw this.notFound(paymentId);
    const payment = await this.payments.lockForClient(manager, paymentId, client.id);
    if (!payment) throw this.notFound(paymentId);
    if (credit.transType !== 'C') return { result: 'unmatched', reason: 'debit' };
    return this.link(manager, payment, credit, cause, true);
  }

  private async link(
    manager: EntityManager,
    payment: PaymentRecord,
    credit: IncomingCredit,
    cause: Cause,
    manual: boolean,
  ): Promise<CreditOutcome> {
    const ourAccount = payment.bankAccount ?? this.config.vietqr.bankAccount;
    if (accountDigits(credit.bankAccount) !== accountDigits(ourAccount)) {
      return { result: 'unmatched', reason: 'foreign_account' };
    }
    // Closed payments are never revived: the money is kept, flagged late, for a person to review.
    const late = isClosed(payment.status);
    const amountPaid = late ? payment.amountPaid : payment.amountPaid + credit.amount;
    const toStatus = late ? payment.status : statusForPaid(payment.amount, amountPaid);
    const linked = await this.payments.linkCredit(manager, {
      paymentId: payment.id,
      credit,
      late,
      fromStatus: payment.status,
      toStatus,
      amountPaid,
      actor: cause.actor,
      reason: cause.reason ?? (late ? 'late_payment' : 'credit'),
    });
    if (!linked) {
      // Already linked (a replay of the same bank transaction): report what it settled, change nothing.
      const existing = await this.payments.findLink(manager, credit.bankTransactionId);
      if (!existing)
        throw new Error(`bank transaction ${credit.bankTransactionId} is neither new nor linked`);
      if (manual && existing.paymentId !== payment.id) {
        throw new PaymentException(
          ErrorCode.TransactionAlreadyLinked,
          `Bank transaction ${credit.bankTransactionId} is already linked to another payment`,
          { paymentId: existing.paymentId },
        );
      }
      return {
        result: existing.late ? 'late' : 'linked',
        paymentId: existing.paymentId,
        clientId: existing.clientId,
      };
    }
    const type = eventOfCredit(toStatus, late);
    if (type) {
      await this.emit(manager, type, linked.payment, {
        payment: this.toDto(linked.payment),
        transaction: toTransactionDto(linked.transaction),
      });
    }
    return { result: late ? 'late' : 'linked', paymentId: payment.id, clientId: payment.clientId };
  }

  /** The sweeper's batch: expires due live payments (history and payment.expired each). */
  async expireDue(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const expired = await this.payments.expireDue(manager, limit, 'sweeper');
      for (const payment of expired) {
        await this.emit(manager, 'payment.expired', payment, { payment: this.toDto(payment) });
      }
      return expired.length;
    });
  }

  /** The stored QR payload to render: undefined for no such payment, null while it has no QR. */
  async qrPayload(id: string): Promise<string | null | undefined> {
    return isUuid(id) ? this.payments.findQrCode(id) : undefined;
  }

  private async emit(manager: EntityManager, type: EventType, payment: PaymentRecord, data: object) {
    await this.outbox.append(manager, { type, clientId: payment.clientId, subjectId: payment.id, data });
  }

  private toDto(payment: PaymentRecord): PaymentDto {
    return toPaymentDto(payment, this.publicBaseUrl);
  }

  private notFound(id: string): PaymentException {
    return new PaymentException(ErrorCode.PaymentNotFound, `Payment ${id} not found`);
  }
}
