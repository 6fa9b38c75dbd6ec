import { Injectable } from '@nestjs/common';
import type { SqlRunner, Transaction } from '../../database/database.js';
import { namedSql } from '../../database/named-sql.js';
import { prepared } from '../../database/prepared-sql.js';
import type { IncomingCredit } from './incoming-credit.js';
import { HISTORY_INSERT } from './payment-columns.js';
import type { PaymentStatus } from './payment-status.js';

/** A credit linked to a payment, and what the payment becomes (decided by credit-decision.ts). */
export interface CreditLink {
  paymentId: string;
  credit: IncomingCredit;
  late: boolean;
  fromStatus: PaymentStatus;
  toStatus: PaymentStatus;
  amountPaid: number;
  actor: string;
  reason: string;
}

/** Who a bank transaction is linked to. */
export interface ExistingLink {
  paymentId: string;
  clientId: string;
  late: boolean;
}

type LinkValues = IncomingCredit &
  Pick<CreditLink, 'paymentId' | 'late' | 'fromStatus' | 'toStatus' | 'amountPaid' | 'actor' | 'reason'>;

// The one statement that links a credit: the link row, the payment's paid amount and status, and the history.
// No ON CONFLICT: a bank transaction already linked fails the statement, and with it the transaction.
const LINK = namedSql<LinkValues>(
  `WITH link AS (
     INSERT INTO payment_transaction
       (bank_transaction_id, payment_id, reference, amount, content, bank_account, late, paid_at, received_at, linked_by)
     VALUES (:bankTransactionId, :paymentId, :reference, :amount, :content, :bankAccount, :late, :paidAt,
       :receivedAt, :actor)
   ), updated AS (
     UPDATE payment SET amount_paid = :amountPaid, status = :toStatus, updated_at = now() WHERE id = :paymentId
     RETURNING id, status, amount_paid
   )
   ${HISTORY_INSERT} SELECT id, :fromStatus, status, amount_paid, :actor, :reason, :bankTransactionId FROM updated`,
);
prepared(LINK.text);

@Injectable()
export class PaymentLinksRepository {
  /**
   * Links a credit to a payment the caller has locked. Sent at once and not waited for: the caller knows
   * what the payment becomes, and a failure fails the commit.
   */
  sendLink(tx: Transaction, link: CreditLink): void {
    const { credit, ...rest } = link;
    tx.later(tx.query(LINK.text, LINK.params({ ...credit, ...rest })));
  }

  /** Who the bank transaction is linked to, if anyone, and the transaction's clock (now()). */
  async findLink(
    db: SqlRunner,
    bankTransactionId: string,
  ): Promise<{ link: ExistingLink | null; now: Date }> {
    const rows: Array<{
      now: Date;
      paymentId: string | null;
      clientId: string | null;
      late: boolean | null;
    }> = await db.query(
      `SELECT now() AS now, t.payment_id AS "paymentId", p.client_id AS "clientId", t.late
         FROM (SELECT 1) AS one
         LEFT JOIN payment_transaction t ON t.bank_transaction_id = $1
         LEFT JOIN payment p ON p.id = t.payment_id`,
      [bankTransactionId],
    );
    const { now, paymentId, clientId, late } = rows[0];
    return { now, link: paymentId === null ? null : { paymentId, clientId: clientId!, late: late! } };
  }
}
