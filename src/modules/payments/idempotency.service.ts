import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { SqlRunner } from '../../database/database.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';
import { PaymentException } from './payment.exception.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The right to execute a request under an Idempotency-Key; settle it with complete() or release(). */
export interface IdempotencyClaim {
  complete(db: SqlRunner, status: number, body: unknown): Promise<void>;
  release(): Promise<void>;
}

export type IdempotencyDecision =
  { kind: 'execute'; claim: IdempotencyClaim } | { kind: 'replay'; status: number; body: unknown };

/** JSON with object keys sorted, so two bodies that differ only in key order hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(
    private readonly keys: IdempotencyKeysRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Decides who executes a request carrying an Idempotency-Key: the first caller executes; later callers
   * with the same body get the stored response, or a 409 while the first is still running; a different
   * body under the same key is a 422.
   */
  async begin(clientId: string, key: string, request: unknown): Promise<IdempotencyDecision> {
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new PaymentException(
        ErrorCode.ValidationFailed,
        `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
        { fields: [{ field: 'Idempotency-Key', problems: ['must be 1 to 255 characters'] }] },
      );
    }
    const hash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    // A key can vanish between our claim and our read (its execution failed and released it): try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const token = randomUUID();
      if (await this.keys.claim(clientId, key, hash, token, this.config.payments.idempotencyKeyTtlHours)) {
        return { kind: 'execute', claim: this.claimOf(clientId, key, token) };
      }
      const existing = await this.keys.find(clientId, key);
      if (!existing) continue;
      if (existing.requestHash !== hash) {
        throw new PaymentException(
          ErrorCode.IdempotencyKeyMismatch,
          'This Idempotency-Key was used with a different request body',
        );
      }
      if (existing.state === 'completed' && existing.responseStatus !== null) {
        return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
      }
      break;
    }
    throw new PaymentException(
      ErrorCode.IdempotencyKeyInFlight,
      'A request with this Idempotency-Key is still being processed; retry shortly',
      undefined,
      { 'retry-after': '1' },
    );
  }

  private claimOf(clientId: string, key: string, token: string): IdempotencyClaim {
    return {
      complete: (db, status, body) => this.keys.complete(db, clientId, key, token, status, body),
      release: async () => {
        try {
          await this.keys.release(clientId, key, token);
        } catch (error) {
          // The key stays in flight until presumed dead; a retry gets 409 until then.
          this.logger.warn({ err: error }, `Could not release Idempotency-Key of client ${clientId}`);
        }
      },
    };
  }

  async deleteExpired(limit: number): Promise<number> {
    return this.keys.deleteExpired(limit);
  }
}
