import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../../database/database.js';
import { OutboxRepository } from './outbox.repository.js';
import { AppendEventInput, OutboxEnvelope } from './outbox.types.js';

/**
 * The transactional outbox: a state change appends its event in the same database transaction, and the
 * notifications module delivers it after commit. Nothing is sent from inside the transaction.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly outbox: OutboxRepository) {}

  async append<T>(db: SqlRunner, input: AppendEventInput<T>): Promise<OutboxEnvelope<T>> {
    const envelope: OutboxEnvelope<T> = {
      id: randomUUID(),
      type: input.type,
      createdAt: new Date().toISOString(),
      data: input.data,
    };
    await this.outbox.insert(db, envelope, input.clientId, input.subjectId);
    return envelope;
  }
}
