import { Injectable } from '@nestjs/common';
import { currentRequestId } from '../../common/http/request-context.js';
import { type SqlRunner, writeRow } from '../../database/database.js';
import { rowStatement } from '../../database/row-writes.js';
import { OutboxEnvelope, UndispatchedEvent } from './outbox.types.js';

// Events in the order appended (their seq is the dispatch order); a transaction's in one statement
// (row-writes.ts).
const INSERT_EVENT = rowStatement(
  'e',
  [
    ['id', 'uuid'],
    ['type', 'text'],
    ['client_id', 'uuid'],
    ['subject_id', 'uuid'],
    ['payload', 'jsonb'],
    ['created_at', 'timestamptz'],
    ['request_id', 'text'],
  ],
  ({ rows }) => `
    INSERT INTO outbox_event (id, type, client_id, subject_id, payload, created_at, request_id)
    SELECT id, type, client_id, subject_id, payload, created_at, request_id FROM ${rows} ORDER BY ordinality`,
);

@Injectable()
export class OutboxRepository {
  /** Must be called with the runner of the transaction that makes the change the event reports. */
  async insert(db: SqlRunner, envelope: OutboxEnvelope, clientId: string | null, subjectId: string | null) {
    await writeRow(db, INSERT_EVENT, [
      envelope.id,
      envelope.type,
      clientId,
      subjectId,
      JSON.stringify(envelope),
      envelope.createdAt,
      currentRequestId() ?? null,
    ]);
  }

  /** Locks up to `limit` events not dispatched yet, oldest first, skipping those another instance holds. */
  async lockUndispatched(db: SqlRunner, limit: number): Promise<UndispatchedEvent[]> {
    return db.query(
      `SELECT id, type, client_id AS "clientId" FROM outbox_event
       WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markDispatched(db: SqlRunner, ids: string[]): Promise<void> {
    await db.query(`UPDATE outbox_event SET dispatched_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
