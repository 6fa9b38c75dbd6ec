import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner, writeRow } from '../../database/database.js';
import { rowStatement, statementFor } from '../../database/row-writes.js';
import type { BankTransactionInput } from './bank-transaction-input.js';

/** Items that need a person: the default queue. */
export const REVIEW_STATUSES = ['unmatched', 'late', 'conflict'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** What the queue can list: the review items and those an operator closed without linking. */
export const LISTED_STATUSES = [...REVIEW_STATUSES, 'dismissed'] as const;
export type ListedStatus = (typeof LISTED_STATUSES)[number];
export type BankTransactionStatus = 'received' | 'linked' | 'ignored_debit' | ListedStatus;
/** How a transfer reached the ledger: VietQR's callback, scheduled reconciliation, or a reconcile request. */
export type ArrivedVia = 'callback' | 'reconcile' | 'manual';

export interface LedgerEntry {
  id: string;
  amount: number;
  content: string;
  receivedAt: Date;
}

export interface BankTransactionRow {
  id: string;
  seq: number;
  reference: string;
  transType: 'C' | 'D';
  bankAccount: string;
  amount: number;
  content: string;
  orderId: string | null;
  transactionTime: Date | null;
  receivedAt: Date;
  status: BankTransactionStatus;
  unmatchedReason: string | null;
  paymentId: string | null;
  clientId: string | null;
  conflictOf: string | null;
  linkedAt: Date | null;
  linkedBy: string | null;
  dismissedAt: Date | null;
  dismissedBy: string | null;
  dismissalNote: string | null;
}

const ROW_COLUMNS = `id, seq, reference, trans_type AS "transType", bank_account AS "bankAccount", amount, content,
  order_id AS "orderId", transaction_time AS "transactionTime", received_at AS "receivedAt", status,
  unmatched_reason AS "unmatchedReason", payment_id AS "paymentId", client_id AS "clientId",
  conflict_of AS "conflictOf", linked_at AS "linkedAt", linked_by AS "linkedBy", dismissed_at AS "dismissedAt",
  dismissed_by AS "dismissedBy", dismissal_note AS "dismissalNote"`;

const INSERT_COLUMNS = `reference, trans_type, bank_account, amount, content, transaction_id, reference_number,
  order_id, sign, terminal_code, sub_terminal_code, service_code, url_link, transaction_time, raw_body, arrived_via,
  reference_key, account_key`;

// A transfer's two keys on an account and type (see NormaliseBankTransactionKey): the normalised reference
// (reference_key, account_key, made by parseDelivery) and VietQR's transactionid, normalised here as its
// unique index is. A row holding either is that transfer; the transactionid wins. Each key is looked up on
// its own, in the exact terms of its partial unique index: an OR of the two made the planner walk every row
// of the account (a credit cost grew with the ledger). Each branch implies only its own index's predicate
// (the transactionid's is spelled with coalesce: HolderIndexPredicate), so even a generic plan made without
// statistics takes the right index, and the look-up is prepared.
// Several transfers' look-ups in one statement (a batch's; row-writes.ts), each row's in its own lateral
// branch, answered in the order given. Also the transaction's clock (now(), which is the received_at a row
// inserted by this transaction gets).
const FIND_HOLDERS = rowStatement(
  'k',
  [
    ['trans_type', 'text'],
    ['transaction_id', 'text'],
    ['reference_key', 'text'],
    ['account_key', 'text'],
  ],
  ({ rows }) => `
  SELECT now() AS now, h.id, h.amount, h.content, h.received_at AS "receivedAt"
    FROM ${rows}
    LEFT JOIN LATERAL (
      SELECT id, amount, content, received_at FROM (
        (SELECT id, amount, content, received_at, 0 AS preference FROM bank_transaction b
          WHERE btrim(b.transaction_id) <> '' AND coalesce(b.conflict_of, b.key_collision_of) IS NULL
            AND upper(btrim(b.transaction_id)) = upper(btrim(k.transaction_id))
            AND b.trans_type = k.trans_type AND b.account_key = k.account_key
          LIMIT 1)
        UNION ALL
        (SELECT id, amount, content, received_at, 1 AS preference FROM bank_transaction b
          WHERE b.conflict_of IS NULL AND b.key_collision_of IS NULL
            AND b.reference_key = k.reference_key AND b.trans_type = k.trans_type
            AND b.account_key = k.account_key
          LIMIT 1)
      ) holders
      ORDER BY preference
      LIMIT 1
    ) h ON true
   ORDER BY k.ordinality`,
);

// New transfers, each recorded with what became of it: a batch's in one statement (row-writes.ts), in the
// order given. No ON CONFLICT: a copy committed since the holder was looked for fails this statement (unique
// key), and the caller starts over (see TransactionSyncService).
const INSERT_RECORDED = rowStatement(
  'r',
  [
    ['reference', 'text'],
    ['trans_type', 'text'],
    ['bank_account', 'text'],
    ['amount', 'bigint'],
    ['content', 'text'],
    ['transaction_id', 'text'],
    ['reference_number', 'text'],
    ['order_id', 'text'],
    ['sign', 'text'],
    ['terminal_code', 'text'],
    ['sub_terminal_code', 'text'],
    ['service_code', 'text'],
    ['url_link', 'text'],
    ['transaction_time', 'timestamptz'],
    ['raw_body', 'text'],
    ['arrived_via', 'text'],
    ['reference_key', 'text'],
    ['account_key', 'text'],
    ['id', 'uuid'],
    ['status', 'text'],
    ['unmatched_reason', 'text'],
    ['payment_id', 'uuid'],
    ['client_id', 'uuid'],
    ['received_at', 'timestamptz'],
  ],
  ({ rows }) => `
    INSERT INTO bank_transaction (${INSERT_COLUMNS}, id, status, unmatched_reason, payment_id, client_id,
      received_at)
    SELECT ${INSERT_COLUMNS}, id, status, unmatched_reason, payment_id, client_id, received_at
      FROM ${rows} ORDER BY ordinality`,
);

const INSERT_CONFLICT = `
  INSERT INTO bank_transaction (${INSERT_COLUMNS}, status, conflict_of)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'conflict', $19)
  ON CONFLICT (conflict_of, amount, md5(content)) WHERE conflict_of IS NOT NULL DO NOTHING`;

/** The ledger's unique keys: a violation of one means a copy of the transfer was committed meanwhile. */
export const LEDGER_KEY_CONSTRAINTS: ReadonlySet<string> = new Set([
  'bank_transaction_key_uq',
  'bank_transaction_transaction_id_uq',
]);

/** What became of a new transfer: linked (or late) to a payment, or left for review. */
export interface Outcome {
  status: BankTransactionStatus;
  unmatchedReason: string | null;
  paymentId: string | null;
  clientId: string | null;
}

type RawEntry = Omit<LedgerEntry, 'amount'> & { amount: string };
type RawRow = Omit<BankTransactionRow, 'amount' | 'seq'> & { amount: string; seq: string };

function rowOf(raw: RawRow): BankTransactionRow {
  return { ...raw, amount: Number(raw.amount), seq: Number(raw.seq) };
}

function insertParams(input: BankTransactionInput, rawBody: string, arrivedVia: ArrivedVia): unknown[] {
  return [
    input.reference,
    input.transType,
    input.bankAccount,
    input.amount,
    input.content,
    input.transactionId,
    input.referenceNumber,
    input.orderId,
    input.sign,
    input.terminalCode,
    input.subTerminalCode,
    input.serviceCode,
    input.urlLink,
    input.transactionTime,
    rawBody,
    arrivedVia,
    input.referenceKey,
    input.accountKey,
  ];
}

@Injectable()
export class BankTransactionsRepository {
  constructor(private readonly db: Database) {}

  /** The committed row holding the transfer's key (either key), if any, and the transaction's now(). */
  async findHolder(
    db: SqlRunner,
    input: BankTransactionInput,
  ): Promise<{ now: Date; holder: LedgerEntry | null }> {
    return (await this.findHolders(db, [input]))[0];
  }

  /** findHolder for several transfers in one statement, in the order given (one snapshot for all). */
  async findHolders(
    db: SqlRunner,
    inputs: BankTransactionInput[],
  ): Promise<Array<{ now: Date; holder: LedgerEntry | null }>> {
    const rows: Array<Omit<RawEntry, 'id'> & { id: string | null; now: Date }> = await db.query(
      ...statementFor(
        FIND_HOLDERS,
        inputs.map((i) => [i.transType, i.transactionId, i.referenceKey, i.accountKey]),
      ),
    );
    return rows.map(({ now, id, amount, content, receivedAt }) => ({
      now,
      holder: id === null ? null : { id, amount: Number(amount), content, receivedAt },
    }));
  }

  /**
   * Records a new transfer with its outcome, under the id the caller chose, received at `receivedAt` (the
   * transaction's now(), or the service's clock for a credit decided before the database answered).
   */
  async insertRecorded(
    db: SqlRunner,
    id: string,
    input: BankTransactionInput,
    rawBody: string,
    arrivedVia: ArrivedVia,
    outcome: Outcome,
    receivedAt: Date,
  ): Promise<void> {
    await writeRow(db, INSERT_RECORDED, [
      ...insertParams(input, rawBody, arrivedVia),
      id,
      outcome.status,
      outcome.unmatchedReason,
      outcome.paymentId,
      outcome.clientId,
      receivedAt,
    ]);
  }

  /** Keeps a re-delivery whose amount or content differs from the original; each distinct one once. */
  async insertConflictIfAbsent(
    db: SqlRunner,
    originalId: string,
    input: BankTransactionInput,
    rawBody: string,
    arrivedVia: ArrivedVia,
  ): Promise<void> {
    await db.query(INSERT_CONFLICT, [...insertParams(input, rawBody, arrivedVia), originalId]);
  }

  /**
   * Review items, newest first, after the cursor (a seq). With a clientId, late items only of that client
   * (unmatched and conflict items belong to the merchant); null: every item (an operator).
   */
  async listForReview(
    statuses: readonly ListedStatus[],
    clientId: string | null,
    beforeSeq: number | null,
    limit: number,
  ): Promise<BankTransactionRow[]> {
    // One page per status, each read in the review index's (status, seq DESC) order and stopped at the
    // limit, then merged: `status = ANY(...) ORDER BY seq` read every item of the statuses and sorted them,
    // a cost that grew with the queue. The literal list is the partial index's predicate: with it the
    // planner may use that index whatever the statuses (a parameter alone cannot prove the implication).
    const rows: RawRow[] = await this.db.query(
      `SELECT ${ROW_COLUMNS} FROM unnest($1::text[]) AS listed(wanted)
        CROSS JOIN LATERAL (
          SELECT * FROM bank_transaction b
           WHERE b.status = listed.wanted AND b.status IN ('unmatched', 'late', 'conflict', 'dismissed')
             AND ($2::uuid IS NULL OR b.status <> 'late' OR b.client_id = $2)
             AND ($3::bigint IS NULL OR b.seq < $3::bigint)
           ORDER BY b.seq DESC
           LIMIT $4
        ) AS item
        ORDER BY seq DESC
        LIMIT $4`,
      [statuses, clientId, beforeSeq, limit],
    );
    return rows.map(rowOf);
  }

  async lockById(manager: SqlRunner, id: string): Promise<BankTransactionRow | null> {
    const rows: RawRow[] = await manager.query(
      `SELECT ${ROW_COLUMNS} FROM bank_transaction WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ? rowOf(rows[0]) : null;
  }

  /** Closes a review item without linking it; the caller holds its lock. */
  async markDismissed(
    manager: SqlRunner,
    id: string,
    dismissal: { actor: string; note: string },
  ): Promise<BankTransactionRow> {
    const rows: RawRow[] = await manager.query(
      `WITH u AS (
         UPDATE bank_transaction
            SET status = 'dismissed', dismissed_at = now(), dismissed_by = $2, dismissal_note = $3
          WHERE id = $1 RETURNING *
       ) SELECT ${ROW_COLUMNS} FROM u`,
      [id, dismissal.actor, dismissal.note],
    );
    return rowOf(rows[0]);
  }

  async markLinkedByHand(
    manager: SqlRunner,
    id: string,
    link: { status: 'linked' | 'late'; paymentId: string; clientId: string; actor: string },
  ): Promise<BankTransactionRow> {
    const rows: RawRow[] = await manager.query(
      `WITH u AS (
         UPDATE bank_transaction
            SET status = $2, payment_id = $3, client_id = $4, unmatched_reason = NULL,
                linked_at = now(), linked_by = $5
          WHERE id = $1 RETURNING *
       ) SELECT ${ROW_COLUMNS} FROM u`,
      [id, link.status, link.paymentId, link.clientId, link.actor],
    );
    return rowOf(rows[0]);
  }
}
