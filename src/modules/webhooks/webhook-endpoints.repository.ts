import { Database } from '../../database/database.js';
import { Injectable } from '@nestjs/common';

export interface WebhookEndpointRow {
  id: string;
  seq: string;
  clientId: string;
  url: string;
  events: string[];
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

const COLUMNS = `id, seq, client_id AS "clientId", url, events, secret, previous_secret AS "previousSecret",
  previous_secret_expires_at AS "previousSecretExpiresAt", created_at AS "createdAt"`;

@Injectable()
export class WebhookEndpointsRepository {
  constructor(private readonly db: Database) {}

  /** Inserts unless the client already has `limit` live endpoints (checked under a lock on the client). */
  async insertWithinLimit(
    clientId: string,
    url: string,
    events: string[],
    secret: string,
    limit: number,
  ): Promise<WebhookEndpointRow | null> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM api_client WHERE id = $1 FOR UPDATE`, [clientId]);
      const [{ count }]: Array<{ count: number }> = await manager.query(
        `SELECT count(*)::int AS count FROM webhook_endpoint WHERE client_id = $1 AND deleted_at IS NULL`,
        [clientId],
      );
      if (count >= limit) return null;
      const rows: WebhookEndpointRow[] = await manager.query(
        `INSERT INTO webhook_endpoint (client_id, url, events, secret) VALUES ($1, $2, $3, $4)
         RETURNING ${COLUMNS}`,
        [clientId, url, events, secret],
      );
      return rows[0];
    });
  }

  async listLiveByClient(
    clientId: string,
    limit: number,
    beforeSeq: string | null,
  ): Promise<WebhookEndpointRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoint
       WHERE client_id = $1 AND deleted_at IS NULL AND ($2::bigint IS NULL OR seq < $2::bigint)
       ORDER BY seq DESC LIMIT $3`,
      [clientId, beforeSeq, limit],
    );
  }

  async findLiveOwned(clientId: string, id: string): Promise<WebhookEndpointRow | null> {
    const rows: WebhookEndpointRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoint WHERE id = $1 AND client_id = $2 AND deleted_at IS NULL`,
      [id, clientId],
    );
    return rows[0] ?? null;
  }

  /** Deletes the endpoint and gives up its deliveries that are still waiting, in one transaction. */
  async softDeleteOwned(clientId: string, id: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const deleted: unknown[] = await manager.query(
        `WITH deleted AS (
           UPDATE webhook_endpoint SET deleted_at = now()
           WHERE id = $1 AND client_id = $2 AND deleted_at IS NULL RETURNING id)
         SELECT id FROM deleted`,
        [id, clientId],
      );
      if (deleted.length === 0) return false;
      await manager.query(
        `UPDATE webhook_delivery SET status = 'failed', last_error = 'endpoint deleted'
         WHERE endpoint_id = $1 AND status = 'pending'`,
        [id],
      );
      return true;
    });
  }

  /** Replaces the secret; the previous one keeps signing until graceSeconds from now (0: not at all). */
  async rotateSecretOwned(
    clientId: string,
    id: string,
    secret: string,
    graceSeconds: number,
  ): Promise<WebhookEndpointRow | null> {
    const rows: WebhookEndpointRow[] = await this.db.query(
      `WITH rotated AS (
         UPDATE webhook_endpoint SET
           previous_secret = CASE WHEN $4::int > 0 THEN secret END,
           previous_secret_expires_at = CASE WHEN $4::int > 0 THEN now() + $4::int * interval '1 second' END,
           secret = $3
         WHERE id = $1 AND client_id = $2 AND deleted_at IS NULL
         RETURNING ${COLUMNS})
       SELECT * FROM rotated`,
      [id, clientId, secret, graceSeconds],
    );
    return rows[0] ?? null;
  }
}
