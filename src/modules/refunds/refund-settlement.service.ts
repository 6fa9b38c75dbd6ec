import { Injectable } from '@nestjs/common';
import { Database, type Transaction } from '../../database/database.js';
import { OutboxService } from '../outbox/outbox.service.js';
import type { EventType } from '../outbox/outbox.types.js';
import { isFinal, refundStatusOf } from './refund-rules.js';
import { toRefundDto } from './refund.mapper.js';
import type { RefundRecord, RefundStatus } from './refund.record.js';
import { RefundSourcesRepository } from './refund-sources.repository.js';
import { RefundsRepository } from './refunds.repository.js';

export interface Failure {
  code: string;
  message: string;
}

/** What a change did: false when it found the refund in a state it does not apply to. */
export type ChangeResult =
  false | { failure?: Failure; completion?: { reference: string | null; note: string | null; by: string } };

const EVENT_OF: Partial<Record<RefundStatus, EventType>> = {
  SUCCEEDED: 'refund.succeeded',
  FAILED: 'refund.failed',
  REQUIRES_ACTION: 'refund.requires_action',
};

/**
 * Every change of a refund after its creation goes through here: under the payment's lock (then the
 * refund's), the change to its parts, the refund's status derived from them, the payment's
 * amountRefunded/refundStatus, and the event, in one transaction.
 */
@Injectable()
export class RefundSettlementService {
  constructor(
    private readonly database: Database,
    private readonly refunds: RefundsRepository,
    private readonly sources: RefundSourcesRepository,
    private readonly outbox: OutboxService,
  ) {}

  async change(
    refundId: string,
    apply: (tx: Transaction, refund: RefundRecord) => Promise<ChangeResult>,
  ): Promise<{ refund: RefundRecord; applied: boolean } | null> {
    return this.database.transaction(async (tx) => {
      const peek = await this.refunds.findById(tx, refundId);
      if (!peek) return null;
      // Lock order everywhere: payment, then refund.
      if (peek.paymentId) await this.sources.lockPayment(tx, peek.paymentId, null);
      const refund = (await this.refunds.lockRefund(tx, refundId))!;
      const result = await apply(tx, refund);
      if (result === false) return { refund, applied: false };
      const after = (await this.refunds.findById(tx, refundId))!;
      const status = isFinal(refund.status) ? refund.status : refundStatusOf(after.parts.map((p) => p.state));
      if (status !== refund.status || result.completion) {
        await this.refunds.setStatus(
          tx,
          refundId,
          status,
          status === 'SUCCEEDED' ? null : (result.failure ?? null),
          result.completion,
        );
      }
      if (refund.paymentId) await this.sources.updatePaymentRefunded(tx, refund.paymentId);
      if (
        status === 'FAILED' &&
        refund.status !== 'FAILED' &&
        refund.sourceTransactionId &&
        !refund.paymentId
      ) {
        await this.sources.restoreAfterFailedRefund(tx, refund.sourceTransactionId, refundId);
      }
      const settled = (await this.refunds.findById(tx, refundId))!;
      if (status !== refund.status) await this.emit(tx, settled);
      return { refund: settled, applied: true };
    });
  }

  /** The event of the refund's current status, if it has one; in the caller's transaction. */
  async emit(tx: Transaction, refund: RefundRecord): Promise<void> {
    const type = EVENT_OF[refund.status];
    if (!type) return;
    await this.outbox.append(tx, {
      type,
      clientId: refund.clientId,
      subjectId: refund.id,
      data: { refund: toRefundDto(refund) },
    });
  }
}
