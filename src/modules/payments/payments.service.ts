import { decodeCursor, encodeCursor, isUuid, UUID_PATTERN } from '../../common/http/cursor.js';
import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { Database, type SqlRunner, type Transaction } from '../../database/database.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { EventType } from '../outbox/outbox.types.js';
import { CancelPaymentDto } from './dto/cancel-payment.dto.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto.js';
import type { PaymentDetailDto, PaymentDto, PaymentListDto } from './dto/payment.dto.js';
import { IdempotencyService } from './idempotency.service.js';
import type {
  Cause,
  CreditClues,
  CreditOutcome,
  IncomingCredit,
  PaymentCandidates,
} from './incoming-credit.js';
import { contentCandidates, newPaymentCode, normaliseContent, PAYMENT_CODE_PREFIX } from './payment-code.js';
import { isClosed, isOpen, statusForPaid, type PaymentStatus } from './payment-status.js';
import { PaymentException } from './payment.exception.js';
import { toPaymentDetailDto, toPaymentDto, toTransactionDto } from './payment.mapper.js';
import type { PaymentRecord, PaymentTransactionRecord } from './payment.record.js';
import { CreditLink, PaymentsRepository } from './payments.repository.js';
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
    private readonly database: Database,
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
    alsoInTransaction?: (manager: SqlRunner, payment: PaymentDto) => Promise<void>,
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
    if (!alsoInTransaction) return this.toDto(await this.payments.storeQr(this.database, paymentId, issued));
    return this.database.transaction(async (manager) => {
      const body = this.toDto(await this.payments.storeQr(manager, paymentId, issued));
      await alsoInTransaction(manager, body);
      return body;
    });
  }

  /** An order system reads its own payments; an operator any client's (to link review items to it). */
  async get(client: ApiClient, id: string): Promise<PaymentDetailDto> {
    const owner = client.role === 'operator' ? null : client.id;
    const detail = isUuid(id) ? await this.payments.findDetail(id, owner) : null;
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
    return this.database.transaction(async (manager) => {
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
   * Locks the payments a credit could pay: the callback's orderId (our payment code) and the VietQR trace
   * ids and payment codes found in its content. Needs only what the bank said, so the ingest sends it
   * beside the ledger insert instead of after it. Null when there is nothing to look for.
   */
  async lockCandidates(db: SqlRunner, credit: CreditClues): Promise<PaymentCandidates | null> {
    if (credit.transType !== 'C' || !(credit.amount > 0)) return null;
    const orderCode = credit.orderId ? normaliseContent(credit.orderId) : null;
    const tokens = contentCandidates(credit.content);
    const codes = tokens.filter((c) => c.startsWith(PAYMENT_CODE_PREFIX));
    if (orderCode) codes.unshift(orderCode);
    const traceIds = tokens.filter((c) => !c.startsWith(PAYMENT_CODE_PREFIX));
    if (codes.length === 0 && traceIds.length === 0) return null;
    const found = await this.payments.lockByCodeOrTraceId(db, codes, traceIds);
    return { orderCode, tokens, found };
  }

  /**
   * Links a bank transaction recorded in this transaction to the payment it pays, among the candidates
   * locked by lockCandidates. Credits only; the orderId wins, else the first trace id or payment code in
   * the content; the receiving account must be the payment's. The writes travel with the commit.
   */
  applyCredit(
    tx: Transaction,
    credit: IncomingCredit,
    cause: Cause,
    candidates: PaymentCandidates | null,
  ): CreditOutcome {
    if (credit.transType !== 'C') return { result: 'unmatched', reason: 'debit' };
    if (!candidates) return { result: 'unmatched', reason: 'no_match' };
    const { orderCode, tokens, found } = candidates;
    const byToken = (token: string) =>
      found.find((p) => p.code === token || (p.qrTraceId !== null && p.qrTraceId.toUpperCase() === token));
    const payment =
      (orderCode ? found.find((p) => p.code === orderCode) : undefined) ??
      tokens.map(byToken).find((p) => p !== undefined);
    if (!payment) return { result: 'unmatched', reason: 'no_match' };
    if (!this.paysInto(payment, credit)) return { result: 'unmatched', reason: 'foreign_account' };
    const link = this.creditLink(payment, credit, cause);
    const linked = this.payments.linkNewCredit(tx, payment, link, credit.receivedAt);
    tx.later(linked.sent);
    tx.later(this.emitCredit(tx, link, linked));
    return { result: link.late ? 'late' : 'linked', paymentId: payment.id, clientId: payment.clientId };
  }

  /**
   * Links a bank transaction to a payment chosen by a person (the review queue). Same rules as
   * applyCredit: credits only, the account must be the payment's; the payment must be the client's,
   * unless an operator links it (any client's).
   */
  async linkManually(
    manager: SqlRunner,
    credit: IncomingCredit,
    paymentId: string,
    client: ApiClient,
    cause: Cause,
  ): Promise<CreditOutcome> {
    if (!isUuid(paymentId)) throw this.notFound(paymentId);
    const owner = client.role === 'operator' ? null : client.id;
    const payment = await this.payments.lockForClient(manager, paymentId, owner);
    if (!payment) throw this.notFound(paymentId);
    if (credit.transType !== 'C') return { result: 'unmatched', reason: 'debit' };
    return this.link(manager, payment, credit, cause);
  }

  private async link(
    manager: SqlRunner,
    payment: PaymentRecord,
    credit: IncomingCredit,
    cause: Cause,
  ): Promise<CreditOutcome> {
    if (!this.paysInto(payment, credit)) return { result: 'unmatched', reason: 'foreign_account' };
    const link = this.creditLink(payment, credit, cause);
    const linked = await this.payments.linkCredit(manager, link);
    if (!linked) {
      // Already linked (a late credit is): report where, and refuse to move it to another payment.
      const existing = await this.payments.findLink(manager, credit.bankTransactionId);
      if (!existing)
        throw new Error(`bank transaction ${credit.bankTransactionId} is neither new nor linked`);
      if (existing.paymentId !== payment.id) {
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
    await this.emitCredit(manager, link, linked);
    return { result: link.late ? 'late' : 'linked', paymentId: payment.id, clientId: payment.clientId };
  }

  /** The event a linked credit causes, if any (no event for a credit that leaves the payment PENDING). */
  private async emitCredit(
    db: SqlRunner,
    link: CreditLink,
    linked: { payment: PaymentRecord; transaction: PaymentTransactionRecord },
  ): Promise<void> {
    const type = eventOfCredit(link.toStatus, link.late);
    if (!type) return;
    await this.emit(db, type, linked.payment, {
      payment: this.toDto(linked.payment),
      transaction: toTransactionDto(linked.transaction),
    });
  }

  private paysInto(payment: PaymentRecord, credit: IncomingCredit): boolean {
    const ourAccount = payment.bankAccount ?? this.config.vietqr.bankAccount;
    return accountDigits(credit.bankAccount) === accountDigits(ourAccount);
  }

  /** The payment's amount and status after the credit. Closed payments are never revived: late money is kept, flagged, for a person. */
  private creditLink(payment: PaymentRecord, credit: IncomingCredit, cause: Cause): CreditLink {
    const late = isClosed(payment.status);
    const amountPaid = late ? payment.amountPaid : payment.amountPaid + credit.amount;
    return {
      paymentId: payment.id,
      credit,
      late,
      fromStatus: payment.status,
      toStatus: late ? payment.status : statusForPaid(payment.amount, amountPaid),
      amountPaid,
      actor: cause.actor,
      reason: cause.reason ?? (late ? 'late_payment' : 'credit'),
    };
  }

  /** The sweeper's batch: expires due live payments (history and payment.expired each). */
  async expireDue(limit: number): Promise<number> {
    return this.database.transaction(async (manager) => {
      const expired = await this.payments.expireDue(manager, limit, 'sweeper');
      for (const payment of expired) {
        await this.emit(manager, 'payment.expired', payment, { payment: this.toDto(payment) });
      }
      return expired.length;
    });
  }

  /** The stored QR payload to render: undefined for no such payment, null while it has no QR. */
  async qrPayload(id: string): Promise<{ qrCode: string | null; status: PaymentStatus } | undefined> {
    return isUuid(id) ? this.payments.findQrCode(id) : undefined;
  }

  private async emit(manager: SqlRunner, type: EventType, payment: PaymentRecord, data: object) {
    await this.outbox.append(manager, { type, clientId: payment.clientId, subjectId: payment.id, data });
  }

  private toDto(payment: PaymentRecord): PaymentDto {
    return toPaymentDto(payment, this.publicBaseUrl);
  }

  private notFound(id: string): PaymentException {
    return new PaymentException(ErrorCode.PaymentNotFound, `Payment ${id} not found`);
  }
}
