import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner } from '../../database/database.js';
import type { PaymentStatus } from './payment-status.js';
import type { PaymentRecord } from './payment.record.js';
import { paymentColumns, type RawPayment, toPaymentRecord } from './payment-columns.js';

export interface PaymentState {
  id: string;
  status: PaymentStatus;
  amount: number;
  amountPaid: number;
}

/** The payer's side of payments: reads by checkout token, and the states the live page watches. */
@Injectable()
export class PaymentCheckoutRepository {
  constructor(private readonly db: Database) {}

  async findByCheckoutToken(token: string): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await this.db.query(
      `SELECT ${paymentColumns('p')} FROM payment p WHERE p.checkout_token = $1`,
      [token],
    );
    return rows[0] ? toPaymentRecord(rows[0]) : null;
  }

  /** Locks (in the caller's transaction) the payment of a checkout token. */
  async lockByCheckoutToken(db: SqlRunner, token: string): Promise<PaymentRecord | null> {
    const rows: RawPayment[] = await db.query(
      `SELECT ${paymentColumns('p')} FROM payment p WHERE p.checkout_token = $1 FOR UPDATE`,
      [token],
    );
    return rows[0] ? toPaymentRecord(rows[0]) : null;
  }

  async findStates(ids: string[]): Promise<PaymentState[]> {
    const rows: Array<{ id: string; status: PaymentStatus; amount: string; amountPaid: string }> =
      await this.db.query(
        `SELECT id, status, amount, amount_paid AS "amountPaid" FROM payment WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    return rows.map((r) => ({ ...r, amount: Number(r.amount), amountPaid: Number(r.amountPaid) }));
  }
}
