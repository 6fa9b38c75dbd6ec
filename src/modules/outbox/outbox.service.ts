import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner, type Transaction } from '../../database/database.js';
import { newRowId } from '../../database/row-id.js';
import { OutboxRepository } from './outbox.repository.js';
import { AppendEventInput, OutboxEnvelope, UndispatchedEvent } from './outbox.types.js';

/**
 * The transactional outbox: a state change appends its event in the same database transaction, and the
 * webhooks module delivers it after commit (dispatch). Nothing is sent from inside the transaction.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly database: Database,
  ) {}

  async append<T>(db: SqlRunner, input: AppendEventInput<T>): Promise<OutboxEnvelope<T>> {
    const envelope: OutboxEnvelope<T> = {
      id: newRowId(),
      type: input.type,
      createdAt: new Date().toISOString(),
      data: input.data,
    };
    await this.outbox.insert(db, envelope, input.clientId, input.subjectId);
    return envelope;
  }

  /**
   * Hands up to `batch` undispatched events to `handOver` and marks them dispatched, in one transaction, so
   * an event is handed over exactly once even with several instances (SKIP LOCKED shares the work).
   * Returns how many events were dispatched and what handOver returned.
   */
  async dispatch<R>(
    batch: number,
    handOver: (tx: Transaction, events: UndispatchedEvent[]) => Promise<R>,
  ): Promise<{ events: number; result: R | null }> {
    return this.database.transaction(async (tx) => {
      const events = await this.outbox.lockUndispatched(tx, batch);
      if (events.length === 0) return { events: 0, result: null };
      const result = handOver(tx, events);
      tx.later(
        this.outbox.markDispatched(
          tx,
          events.map((e) => e.id),
        ),
      );
      return { events: events.length, result: await result };
    });
  }
}
