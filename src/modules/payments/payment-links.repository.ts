import { Injectable } from '@nestjs/common';
import { type SqlRunner, type Transaction, writeRow } from '../../database/database.js';
import { rowStatement } from '../../database/row-writes.js';
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
  Pick<CreditLink, 'paymentId' | 'late' | 'fromStatus' | 'toStatus' | 'amountPaid' | 'actor' | 'reason'> & {
    linkedAt: Date;
  };

// The one statement that links credits: the link rows, each payment's paid amount and status, and the
// history; a batch's links in one statement (row-writes.ts), each payment at most once in it (`distinct`).
// The payments are found by `id = ANY(...)`, the primary key, whatever the planner guesses of the rows.
// No ON CONFLICT: a bank transaction already linked fails the statement, and with it the transaction.
const LINK_COLUMNS = [
  ['paymentId', 'payment_id', 'uuid'],
  ['bankTransactionId', 'bank_transaction_id', 'uuid'],
  ['reference', 'reference', 'text'],
  ['amount', 'amount', 'bigint'],
  ['content', 'content', 'text'],
  ['bankAccount', 'bank_account', 'text'],
  ['late', 'late', 'boolean'],
  ['paidAt', 'paid_at', 'timestamptz'],
  ['receivedAt', 'received_at', 'timestamptz'],
  ['actor', 'actor', 'text'],
  ['amountPaid', 'amount_paid', 'bigint'],
  ['toStatus', 'to_status', 'text'],
  ['fromStatus', 'from_status', 'text'],
  ['reason', 'reason', 'text'],
  ['linkedAt', 'linked_at', 'timestamptz'],
] as const satisfies ReadonlyArray<readonly [keyof LinkValues, string, string]>;

const LINK = rowStatement(
  'v',
  LINK_COLUMNS.map(([, name, type]) => [name, type] as const),
  ({ rows, all }) => `
  WITH v AS (SELECT * FROM ${rows}),
   link AS (
     INSERT INTO payment_transaction
       (bank_transaction_id, payment_id, reference, amount, content, bank_account, late, paid_at, received_at, linked_by,
        linked_at)
     SELECT bank_transaction_id, payment_id, reference, amount, content, bank_account, late, paid_at, received_at,
            actor, linked_at
       FROM v ORDER BY ordinality
   ), updated AS (
     UPDATE payment p SET amount_paid = v.amount_paid, status = v.to_status, updated_at = v.linked_at
       FROM v WHERE p.id = v.payment_id AND p.id = ANY(${all('payment_id')})
     RETURNING p.id, p.status, p.amount_paid, v.from_status, v.actor, v.reason, v.bank_transaction_id,
               v.ordinality
   )
   ${HISTORY_INSERT}
   SELECT id, from_status, status, amount_paid, actor, reason, bank_transaction_id FROM updated ORDER BY ordinality`,
  { distinct: 'payment_id' },
);

@Injectable()
export class PaymentLinksRepository {
  /**
   * Links a credit to a payment the caller has locked, at `linkedAt` (the transaction's now(), or the
   * service's clock for a credit decided before the database answered). Sent at once and not waited for:
   * the caller knows what the payment becomes, and a failure fails the commit.
   */
  sendLink(tx: Transaction, link: CreditLink, linkedAt: Date): void {
    const { credit, ...rest } = link;
    const values: LinkValues = { ...credit, ...rest, linkedAt };
    tx.later(
      writeRow(
        tx,
        LINK,
        LINK_COLUMNS.map(([key]) => values[key]),
      ),
    );
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
