import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { Database } from '../../database/database.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { CancelPaymentDto } from './dto/cancel-payment.dto.js';
import type { PaymentDto } from './dto/payment.dto.js';
import { PaymentEvents } from './payment-events.js';
import { isOpen } from './payment-status.js';
import { paymentNotFound, PaymentException } from './payment.exception.js';
import { PaymentMapper } from './payment.mapper.js';
import { PaymentsRepository } from './payments.repository.js';

/** A payment's end other than being paid: cancelled by its client, or expired by the sweeper. */
@Injectable()
export class PaymentLifecycleService {
  constructor(
    private readonly database: Database,
    private readonly payments: PaymentsRepository,
    private readonly events: PaymentEvents,
    private readonly mapper: PaymentMapper,
  ) {}

  /** PENDING or PARTIALLY_PAID → CANCELLED. Cancelling a cancelled payment answers it unchanged. */
  async cancel(client: ApiClient, id: string, dto: CancelPaymentDto): Promise<PaymentDto> {
    return this.database.transaction(async (tx) => {
      const payment = await this.payments.lockForClient(tx, id, client.id);
      if (!payment) throw paymentNotFound(id);
      if (payment.status === 'CANCELLED') return this.mapper.toDto(payment);
      if (!isOpen(payment.status)) {
        throw new PaymentException(
          ErrorCode.PaymentNotCancellable,
          `Payment ${id} is ${payment.status} and can no longer be cancelled`,
          { status: payment.status },
        );
      }
      const cancelled = await this.payments.transition(
        tx,
        payment,
        'CANCELLED',
        `client:${client.name}`,
        dto.reason ?? null,
      );
      await this.events.paymentChanged(tx, 'payment.cancelled', cancelled);
      return this.mapper.toDto(cancelled);
    });
  }

  /** The sweeper's batch: expires due live payments (history and payment.expired each). */
  async expireDue(limit: number): Promise<number> {
    return this.database.transaction(async (tx) => {
      const expired = await this.payments.expireDue(tx, limit, 'sweeper');
      // Handed over together, the events leave as one statement (row-writes.ts) with the commit.
      for (const payment of expired) tx.later(this.events.paymentChanged(tx, 'payment.expired', payment));
      return expired.length;
    });
  }
}
