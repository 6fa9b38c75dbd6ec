import { Injectable } from '@nestjs/common';
import { currentRequestId } from '../../common/http/request-context.js';
import type { SqlRunner } from '../../database/database.js';
import { prepared } from '../../database/prepared-sql.js';
import { OutboxEnvelope, UndispatchedEvent } from './outbox.types.js';

const INSERT_EVENT = prepared(
  `INSERT INTO outbox_event (id, type, client_id, subject_id, payload, created_at, request_id)
   VALUES ($1, $2, $3, $4, $5, $6, $7)`,
);

@Injectable()
export class OutboxRepository {
  /** Must be called with the runner of the transaction that makes the change the event reports. */
  async insert(db: SqlRunner, envelope: OutboxEnvelope, clientId: string | null, subjectId: string | null) {
    await db.query(INSERT_EVENT, [
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
