import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { Database, type SqlRunner } from '../../database/database.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { QrIssuer } from '../qr-orders/qr-issuer.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import type { PaymentDto } from './dto/payment.dto.js';
import { redirectUrlProblem } from './checkout-fields.js';
import { IdempotencyService } from './idempotency.service.js';
import { newPaymentCode } from './payment-code.js';
import { PaymentException } from './payment.exception.js';
import { PaymentMapper } from './payment.mapper.js';
import { PaymentWrites } from './payment-writes.js';
import type { PaymentRecord } from './payment.record.js';
import { PaymentsRepository } from './payments.repository.js';
import { RecentPayments } from './recent-payments.js';

const CODE_ATTEMPTS = 5;

/** The checkout page's fields of a new payment; the https rule needs the config, so it is checked here. */
function checkoutFields(dto: CreatePaymentDto, production: boolean) {
  const fields: Array<{ field: string; problems: string[] }> = [];
  for (const field of ['returnUrl', 'cancelUrl'] as const) {
    const value = dto[field];
    const problem = value === undefined ? null : redirectUrlProblem(value, production);
    if (problem) fields.push({ field, problems: [`${field} ${problem}`] });
  }
  if (fields.length > 0) {
    const message = fields.map((f) => f.problems.join(', ')).join('; ');
    throw new PaymentException(ErrorCode.ValidationFailed, message, { fields });
  }
  return { returnUrl: dto.returnUrl ?? null, cancelUrl: dto.cancelUrl ?? null, locale: dto.locale ?? 'vi' };
}

export interface CreatePaymentResult {
  status: number;
  body: PaymentDto;
  /** The stored response of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/** A new payment for an order, with its QR; Idempotency-Key replays. */
@Injectable()
export class PaymentCreationService {
  constructor(
    private readonly database: Database,
    private readonly payments: PaymentsRepository,
    private readonly writes: PaymentWrites,
    private readonly idempotency: IdempotencyService,
    private readonly qrIssuer: QrIssuer,
    private readonly mapper: PaymentMapper,
    private readonly recent: RecentPayments,
    private readonly config: AppConfig,
  ) {}

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
   * Inserts the payment, then asks for its QR outside any database transaction, then stores the QR (each
   * write possibly shared with other requests' in one commit: PaymentWrites). When
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
      payment = await this.writes.insert({
        clientId: client.id,
        orderId: dto.orderId,
        code: newPaymentCode(),
        amount: dto.amount,
        description,
        metadata,
        expiresInSeconds: dto.expiresInSeconds ?? this.config.payments.defaultExpiresInSeconds,
        actor: `client:${client.name}`,
        ...checkoutFields(dto, this.config.isProduction),
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
    const stored = alsoInTransaction
      ? await this.database.transaction(async (manager) => {
          const written = await this.payments.storeQr(manager, paymentId, issued);
          await alsoInTransaction(manager, this.mapper.toDto(written.payment));
          return written;
        })
      : await this.writes.storeQr(paymentId, issued);
    // Committed: its credit, when it comes to this instance, can be decided before the database answers.
    this.recent.remember(stored);
    return this.mapper.toDto(stored.payment);
  }
}
