import { Database, type SqlRunner } from '../../../database/database.js';
import { Injectable } from '@nestjs/common';
import type { ApiRole } from './api-client.js';

export interface ApiClientRow {
  id: string;
  name: string;
  role: ApiRole;
  /** At most 4 characters of the key, to tell keys apart (see keyHint). */
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const COLUMNS = `id, name, role, key_prefix AS "keyPrefix", created_at AS "createdAt", revoked_at AS "revokedAt"`;

@Injectable()
export class ApiClientsRepository {
  constructor(private readonly db: Database) {}

  /** For the CLI, which has a TypeORM DataSource and no Nest container: only query() is used. */
  static using(runner: SqlRunner): ApiClientsRepository {
    return new ApiClientsRepository(runner as Database);
  }

  async findActiveByKeyHash(keyHash: string): Promise<ApiClientRow | null> {
    const rows: ApiClientRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM api_client WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return rows[0] ?? null;
  }

  async findActiveByName(name: string): Promise<ApiClientRow | null> {
    const rows: ApiClientRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM api_client WHERE name = $1 AND revoked_at IS NULL`,
      [name],
    );
    return rows[0] ?? null;
  }

  /** Inserts the client unless one with that name is active; returns the active one either way. */
  async insertIfAbsent(
    name: string,
    keyHash: string,
    prefix: string,
    role: ApiRole = 'order_system',
  ): Promise<{ client: ApiClientRow; created: boolean }> {
    const inserted: ApiClientRow[] = await this.db.query(
      `INSERT INTO api_client (name, key_hash, key_prefix, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [name, keyHash, prefix, role],
    );
    if (inserted[0]) return { client: inserted[0], created: true };
    const existing = await this.findActiveByName(name);
    if (!existing)
      throw new Error(`api client "${name}" could not be created: its key is in use by another client`);
    return { client: existing, created: false };
  }

  /**
   * Config-seeded keys: the named client keeps its id (and its payments) while its key and role follow
   * config (API_KEYS are order systems, OPERATOR_KEYS operators).
   */
  async upsertSeeded(name: string, keyHash: string, prefix: string, role: ApiRole): Promise<ApiClientRow> {
    try {
      return await this.upsertSeededOnce(name, keyHash, prefix, role);
    } catch (error) {
      if (!isKeyHashConflict(error)) throw error;
    }
    // ON CONFLICT (name) only arbitrates the name: an instance booting at the same moment that inserted the
    // same new client first makes ours fail on the key instead. Its row is committed now, so the retry
    // updates it; a second conflict means another client really holds this key.
    try {
      return await this.upsertSeededOnce(name, keyHash, prefix, role);
    } catch (error) {
      if (!isKeyHashConflict(error)) throw error;
      throw new Error(`api client "${name}" could not be seeded: its key is in use by another client`, {
        cause: error,
      });
    }
  }

  private async upsertSeededOnce(
    name: string,
    keyHash: string,
    prefix: string,
    role: ApiRole,
  ): Promise<ApiClientRow> {
    const rows: ApiClientRow[] = await this.db.query(
      `INSERT INTO api_client (name, key_hash, key_prefix, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) WHERE revoked_at IS NULL
       DO UPDATE SET key_hash = EXCLUDED.key_hash, key_prefix = EXCLUDED.key_prefix, role = EXCLUDED.role
       RETURNING ${COLUMNS}`,
      [name, keyHash, prefix, role],
    );
    return rows[0];
  }

  async revokeByName(name: string): Promise<boolean> {
    // TypeORM answers a bare UPDATE with [rows, count]; wrapped in a CTE it is a plain row list.
    const rows: unknown[] = await this.db.query(
      `WITH revoked AS (UPDATE api_client SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING id)
       SELECT id FROM revoked`,
      [name],
    );
    return rows.length > 0;
  }

  async listAll(): Promise<ApiClientRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM api_client ORDER BY created_at`);
  }
}

function isKeyHashConflict(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'api_client_key_hash_uq';
}
