import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner } from '../../database/database.js';

export interface IdempotencyKeyRecord {
  requestHash: string;
  state: 'in_flight' | 'completed';
  responseStatus: number | null;
  responseBody: unknown;
}

// An execution that left its key in flight this long is presumed dead (a crashed instance); the key may
// be claimed again.
const STALE_IN_FLIGHT = `interval '5 minutes'`;

@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly db: Database) {}

  /**
   * Takes the key for one execution: true if this caller may execute. A key that has expired or whose
   * execution is presumed dead is taken over; otherwise the existing key wins.
   */
  async claim(
    clientId: string,
    key: string,
    requestHash: string,
    claimToken: string,
    ttlHours: number,
  ): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO idempotency_key (client_id, key, request_hash, state, claim_token, expires_at)
       VALUES ($1, $2, $3, 'in_flight', $4, now() + make_interval(hours => $5))
       ON CONFLICT (client_id, key) DO UPDATE SET
         request_hash = EXCLUDED.request_hash, state = 'in_flight', claim_token = EXCLUDED.claim_token,
         response_status = NULL, response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE idempotency_key.expires_at <= now()
          OR (idempotency_key.state = 'in_flight' AND idempotency_key.created_at < now() - ${STALE_IN_FLIGHT})
       RETURNING key`,
      [clientId, key, requestHash, claimToken, ttlHours],
    );
    return rows.length > 0;
  }

  async find(clientId: string, key: string): Promise<IdempotencyKeyRecord | null> {
    const rows: IdempotencyKeyRecord[] = await this.db.query(
      `SELECT request_hash AS "requestHash", state, response_status AS "responseStatus",
         response_body AS "responseBody"
       FROM idempotency_key WHERE client_id = $1 AND key = $2 AND expires_at > now()`,
      [clientId, key],
    );
    return rows[0] ?? null;
  }

  async complete(
    db: SqlRunner,
    clientId: string,
    key: string,
    claimToken: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await db.query(
      `UPDATE idempotency_key SET state = 'completed', response_status = $4, response_body = $5
       WHERE client_id = $1 AND key = $2 AND claim_token = $3`,
      [clientId, key, claimToken, status, JSON.stringify(body)],
    );
  }

  /** Frees a key whose execution failed, so that a retry executes again. */
  async release(clientId: string, key: string, claimToken: string): Promise<void> {
    await this.db.query(
      `DELETE FROM idempotency_key WHERE client_id = $1 AND key = $2 AND claim_token = $3 AND state = 'in_flight'`,
      [clientId, key, claimToken],
    );
  }

  async deleteExpired(limit: number): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH gone AS (
         DELETE FROM idempotency_key WHERE ctid IN (
           SELECT ctid FROM idempotency_key WHERE expires_at <= now() LIMIT $1
         ) RETURNING 1
       )
       SELECT 1 FROM gone`,
      [limit],
    );
    return rows.length;
  }
}
