import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.js';
import type { PaymentStatus } from '../payments/payment-status.js';
import { ExportColumn, Encoding } from './export-formats.js';
import { openExport } from './export-stream.js';
import { VIETNAM_TIME_ZONE } from './vietnam-time.js';

/** Count and sum (VND) of a set of ledger rows. */
export interface Tally {
  count: number;
  amount: number;
}

export interface LedgerTotals {
  received: Tally;
  linked: Tally;
  late: Tally;
  unmatched: Tally;
  dismissed: Tally;
  callback: Tally;
  reconcile: Tally;
  manual: Tally;
  conflicts: Tally;
  debits: Tally;
}

export interface PaymentTally {
  status: PaymentStatus;
  count: number;
  amount: number;
  amountPaid: number;
}

export interface Period {
  from: Date | null;
  to: Date | null;
}

// A local time as an accountant reads it, with its offset (Vietnam has no daylight saving).
const local = (column: string) =>
  `to_char(${column} AT TIME ZONE '${VIETNAM_TIME_ZONE}', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+07:00"')`;

// Money that arrived: credits, each once (a conflicting re-delivery is kept beside its original, not added).
const CREDIT = `t.trans_type = 'C' AND t.conflict_of IS NULL`;
const TALLIES: Record<keyof LedgerTotals, string> = {
  received: CREDIT,
  linked: `${CREDIT} AND t.status = 'linked'`,
  late: `${CREDIT} AND t.status = 'late'`,
  unmatched: `${CREDIT} AND t.status = 'unmatched'`,
  dismissed: `${CREDIT} AND t.status = 'dismissed'`,
  callback: `${CREDIT} AND t.arrived_via = 'callback'`,
  reconcile: `${CREDIT} AND t.arrived_via = 'reconcile'`,
  manual: `${CREDIT} AND t.arrived_via = 'manual'`,
  conflicts: `t.conflict_of IS NOT NULL`,
  debits: `t.trans_type = 'D' AND t.conflict_of IS NULL`,
};

export interface TransactionExportRow {
  id: string;
  receivedAt: string;
  bookedOn: string;
  bankTime: string | null;
  reference: string;
  bankAccount: string;
  amount: number;
  direction: 'credit' | 'debit';
  content: string;
  outcome: string;
  arrivedVia: string;
  paymentId: string | null;
  orderId: string | null;
  paymentStatus: string | null;
  vietqrOrderId: string | null;
  conflictOf: string | null;
}

export const TRANSACTION_COLUMNS: ExportColumn<TransactionExportRow>[] = [
  { header: 'id', field: 'id' },
  { header: 'received_at', field: 'receivedAt' },
  { header: 'booked_on', field: 'bookedOn' },
  { header: 'bank_time', field: 'bankTime' },
  { header: 'reference', field: 'reference' },
  { header: 'bank_account', field: 'bankAccount' },
  { header: 'amount_vnd', field: 'amount' },
  { header: 'direction', field: 'direction' },
  { header: 'content', field: 'content' },
  { header: 'outcome', field: 'outcome' },
  { header: 'arrived_via', field: 'arrivedVia' },
  { header: 'payment_id', field: 'paymentId' },
  { header: 'order_id', field: 'orderId' },
  { header: 'payment_status', field: 'paymentStatus' },
  { header: 'vietqr_order_id', field: 'vietqrOrderId' },
  { header: 'conflict_of', field: 'conflictOf' },
];

export interface PaymentExportRow {
  id: string;
  orderId: string;
  client: string;
  code: string;
  status: string;
  amount: number;
  amountPaid: number;
  lateAmount: number;
  transfers: number;
  description: string | null;
  createdAt: string;
  expiresAt: string;
  updatedAt: string;
}

export const PAYMENT_COLUMNS: ExportColumn<PaymentExportRow>[] = [
  { header: 'id', field: 'id' },
  { header: 'order_id', field: 'orderId' },
  { header: 'client', field: 'client' },
  { header: 'code', field: 'code' },
  { header: 'status', field: 'status' },
  { header: 'amount_vnd', field: 'amount' },
  { header: 'amount_paid_vnd', field: 'amountPaid' },
  { header: 'late_amount_vnd', field: 'lateAmount' },
  { header: 'transfers', field: 'transfers' },
  { header: 'description', field: 'description' },
  { header: 'created_at', field: 'createdAt' },
  { header: 'expires_at', field: 'expiresAt' },
  { header: 'updated_at', field: 'updatedAt' },
];

/** Read-only SQL over the ledger and the payments for statements and exports; nothing here writes. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Database) {}

  /** The ledger's totals over a period, by arrival time; clientId limits them to that client's payments. */
  async ledgerTotals(period: Period, clientId: string | null): Promise<LedgerTotals> {
    const select = Object.entries(TALLIES)
      .map(
        ([name, where]) =>
          `count(*) FILTER (WHERE ${where}) AS "${name}Count",
           coalesce(sum(t.amount) FILTER (WHERE ${where}), 0) AS "${name}Amount"`,
      )
      .join(',\n');
    const rows: Array<Record<string, string>> = await this.db.query(
      `SELECT ${select} FROM bank_transaction t
        WHERE t.received_at >= $1 AND t.received_at < $2 AND ($3::uuid IS NULL OR t.client_id = $3)`,
      [period.from, period.to, clientId],
    );
    const row = rows[0];
    const totals = {} as LedgerTotals;
    for (const name of Object.keys(TALLIES) as Array<keyof LedgerTotals>) {
      totals[name] = { count: Number(row[`${name}Count`]), amount: Number(row[`${name}Amount`]) };
    }
    return totals;
  }

  /** Refunds that reached the payer in the period (SUCCEEDED, by settlement time). */
  async refundTotals(period: Period, clientId: string | null): Promise<Tally> {
    const rows: Array<{ count: string; amount: string }> = await this.db.query(
      `SELECT count(*) AS count, coalesce(sum(r.amount), 0) AS amount FROM refund r
        WHERE r.status = 'SUCCEEDED' AND r.settled_at >= $1 AND r.settled_at < $2
          AND ($3::uuid IS NULL OR r.client_id = $3)`,
      [period.from, period.to, clientId],
    );
    return { count: Number(rows[0].count), amount: Number(rows[0].amount) };
  }

  /** Payments created in the period, by their status now. */
  async paymentsByStatus(period: Period, clientId: string | null): Promise<PaymentTally[]> {
    const rows: Array<{ status: PaymentStatus; count: string; amount: string; amountPaid: string }> =
      await this.db.query(
        `SELECT p.status, count(*) AS count, coalesce(sum(p.amount), 0) AS amount,
                coalesce(sum(p.amount_paid), 0) AS "amountPaid"
           FROM payment p
          WHERE p.created_at >= $1 AND p.created_at < $2 AND ($3::uuid IS NULL OR p.client_id = $3)
          GROUP BY p.status`,
        [period.from, period.to, clientId],
      );
    return rows.map((r) => ({
      status: r.status,
      count: Number(r.count),
      amount: Number(r.amount),
      amountPaid: Number(r.amountPaid),
    }));
  }

  /** Every ledger row received in the period, oldest first, streamed. */
  streamTransactions(
    period: Period,
    encoding: Encoding<TransactionExportRow>,
    idleMs: number,
  ): Promise<Readable> {
    return openExport(
      this.db,
      `SELECT t.id, ${local('t.received_at')} AS "receivedAt",
              to_char(t.received_at AT TIME ZONE '${VIETNAM_TIME_ZONE}', 'YYYY-MM-DD') AS "bookedOn",
              ${local('t.transaction_time')} AS "bankTime", t.reference, t.bank_account AS "bankAccount",
              t.amount::float8 AS amount, CASE t.trans_type WHEN 'C' THEN 'credit' ELSE 'debit' END AS direction,
              t.content, t.status AS outcome, t.arrived_via AS "arrivedVia", t.payment_id AS "paymentId",
              p.order_id AS "orderId", p.status AS "paymentStatus", t.order_id AS "vietqrOrderId",
              t.conflict_of AS "conflictOf"
         FROM bank_transaction t LEFT JOIN payment p ON p.id = t.payment_id
        WHERE ($1::timestamptz IS NULL OR t.received_at >= $1) AND ($2::timestamptz IS NULL OR t.received_at < $2)
        ORDER BY t.received_at, t.id`,
      [period.from, period.to],
      encoding.encode,
      encoding.head,
      idleMs,
    );
  }

  /** Payments created in the period (a client's, or everyone's), oldest first, streamed. */
  streamPayments(
    period: Period,
    filter: { clientId: string | null; status: PaymentStatus | null },
    encoding: Encoding<PaymentExportRow>,
    idleMs: number,
  ): Promise<Readable> {
    return openExport(
      this.db,
      `SELECT p.id, p.order_id AS "orderId", c.name AS client, p.code, p.status, p.amount::float8 AS amount,
              p.amount_paid::float8 AS "amountPaid",
              (SELECT coalesce(sum(l.amount), 0)::float8 FROM payment_transaction l
                WHERE l.payment_id = p.id AND l.late) AS "lateAmount",
              (SELECT count(*)::int FROM payment_transaction l WHERE l.payment_id = p.id) AS transfers,
              p.description, ${local('p.created_at')} AS "createdAt", ${local('p.expires_at')} AS "expiresAt",
              ${local('p.updated_at')} AS "updatedAt"
         FROM payment p JOIN api_client c ON c.id = p.client_id
        WHERE ($1::timestamptz IS NULL OR p.created_at >= $1) AND ($2::timestamptz IS NULL OR p.created_at < $2)
          AND ($3::uuid IS NULL OR p.client_id = $3) AND ($4::text IS NULL OR p.status = $4)
        ORDER BY p.created_at, p.id`,
      [period.from, period.to, filter.clientId, filter.status],
      encoding.encode,
      encoding.head,
      idleMs,
    );
  }
}
