import { Injectable } from '@nestjs/common';
import type { SqlRunner, Transaction } from '../../database/database.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { EventType } from '../outbox/outbox.types.js';
import type { CreditLink } from './payment-links.repository.js';
import type { PaymentStatus } from './payment-status.js';
import { PaymentMapper, toTransactionDto } from './payment.mapper.js';
import type { PaymentRecord, PaymentTransactionRecord } from './payment.record.js';

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

/** The outbox events of payments, appended in the transaction that made the change. */
@Injectable()
export class PaymentEvents {
  constructor(
    private readonly outbox: OutboxService,
    private readonly mapper: PaymentMapper,
  ) {}

  /** An event whose data is the payment as it now is (payment.cancelled, payment.expired). */
  async paymentChanged(db: SqlRunner, type: EventType, payment: PaymentRecord): Promise<void> {
    await this.append(db, type, payment, { payment: this.mapper.toDto(payment) });
  }

  /** The event a linked credit causes, if any (none for a credit that leaves the payment PENDING); sent with the commit. */
  creditLinked(
    tx: Transaction,
    link: CreditLink,
    payment: PaymentRecord,
    transaction: PaymentTransactionRecord,
  ): void {
    const type = eventOfCredit(link.toStatus, link.late);
    if (!type) return;
    const data = { payment: this.mapper.toDto(payment), transaction: toTransactionDto(transaction) };
    tx.later(this.append(tx, type, payment, data));
  }

  private async append(db: SqlRunner, type: EventType, payment: PaymentRecord, data: object) {
    await this.outbox.append(db, { type, clientId: payment.clientId, subjectId: payment.id, data });
  }
}
