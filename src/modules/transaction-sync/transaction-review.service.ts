import { Database } from '../../database/database.js';
import { decodeCursor, SEQUENCE_PATTERN } from '../../common/http/cursor.js';
import { pageOf } from '../../common/http/page.js';
import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { PaymentCreditsService } from '../payments/payment-credits.service.js';
import {
  BankTransactionRow,
  BankTransactionsRepository,
  REVIEW_STATUSES,
} from './bank-transactions.repository.js';
import {
  ListReviewQueryDto,
  ReviewTransactionDto,
  ReviewTransactionListDto,
} from './review-transaction.dto.js';
import { TransactionSyncException } from './transaction-sync.exception.js';

function toDto(row: BankTransactionRow): ReviewTransactionDto {
  return {
    id: row.id,
    reference: row.reference,
    amount: row.amount,
    content: row.content,
    bankAccount: row.bankAccount,
    status: row.status,
    transType: row.transType,
    orderId: row.orderId,
    unmatchedReason: row.unmatchedReason,
    paymentId: row.paymentId,
    conflictOf: row.conflictOf,
    transactionTime: row.transactionTime?.toISOString() ?? null,
    receivedAt: row.receivedAt.toISOString(),
    linkedAt: row.linkedAt?.toISOString() ?? null,
    linkedBy: row.linkedBy,
    dismissedAt: row.dismissedAt?.toISOString() ?? null,
    dismissedBy: row.dismissedBy,
    dismissalNote: row.dismissalNote,
  };
}

// A conflict is a re-delivery of a transfer already recorded (and counted): linking it would count the same
// money twice. It can only be dismissed.
const LINKABLE = new Set<string>(['unmatched', 'late']);
const DISMISSABLE = new Set<string>(REVIEW_STATUSES);

/** The review queue: bank transactions that need a person, and linking one to a payment by hand. */
@Injectable()
export class TransactionReviewService {
  constructor(
    private readonly db: Database,
    private readonly ledger: BankTransactionsRepository,
    private readonly payments: PaymentCreditsService,
  ) {}

  async list(client: ApiClient, query: ListReviewQueryDto): Promise<ReviewTransactionListDto> {
    const statuses = query.status ? [query.status] : REVIEW_STATUSES;
    const before = query.cursor ? Number(decodeCursor(query.cursor, SEQUENCE_PATTERN)) : null;
    // The queue is operator-only (the guard), and an operator sees every client's items.
    const owner = client.role === 'operator' ? null : client.id;
    const { rows, nextCursor } = await pageOf(
      query.limit,
      (take) => this.ledger.listForReview(statuses, owner, before, take),
      (row) => row.seq,
    );
    return { data: rows.map(toDto), nextCursor };
  }

  async link(client: ApiClient, id: string, paymentId: string): Promise<ReviewTransactionDto> {
    const actor = `client:${client.name}`;
    return this.db.transaction(async (manager) => {
      const row = await this.ledger.lockById(manager, id);
      // A late item is the business of the client owning its payment, or of an operator.
      if (!row || (row.status === 'late' && client.role !== 'operator' && row.clientId !== client.id)) {
        throw new TransactionSyncException(ErrorCode.TransactionNotFound, `No bank transaction ${id}`);
      }
      if (!LINKABLE.has(row.status)) {
        const why =
          row.status === 'conflict'
            ? 'a conflict re-delivers a transaction already recorded, so it is never money: dismiss it'
            : 'only unmatched or late ones are linked by hand';
        throw new TransactionSyncException(
          ErrorCode.TransactionNotLinkable,
          `Bank transaction ${id} is ${row.status}; ${why}`,
          { status: row.status },
        );
      }
      const outcome = await this.payments.linkManually(
        manager,
        {
          bankTransactionId: row.id,
          reference: row.reference,
          amount: row.amount,
          content: row.content,
          orderId: row.orderId,
          bankAccount: row.bankAccount,
          transType: row.transType,
          paidAt: row.transactionTime,
          receivedAt: row.receivedAt,
        },
        paymentId,
        client,
        { actor, reason: 'linked by hand from the review queue' },
      );
      if (outcome.result === 'unmatched') {
        throw new TransactionSyncException(
          ErrorCode.TransactionNotLinkable,
          `Bank transaction ${id} cannot pay payment ${paymentId} (${outcome.reason})`,
          { reason: outcome.reason },
        );
      }
      const linked = await this.ledger.markLinkedByHand(manager, id, {
        status: outcome.result,
        paymentId: outcome.paymentId,
        clientId: outcome.clientId,
        actor,
      });
      return toDto(linked);
    });
  }

  /** Closes a review item without linking it, recording who did it and why. */
  async dismiss(client: ApiClient, id: string, note: string): Promise<ReviewTransactionDto> {
    return this.db.transaction(async (manager) => {
      const row = await this.ledger.lockById(manager, id);
      if (!row) {
        throw new TransactionSyncException(ErrorCode.TransactionNotFound, `No bank transaction ${id}`);
      }
      if (!DISMISSABLE.has(row.status)) {
        throw new TransactionSyncException(
          ErrorCode.TransactionNotDismissable,
          `Bank transaction ${id} is ${row.status}; only unmatched, late or conflict ones are dismissed`,
          { status: row.status },
        );
      }
      return toDto(await this.ledger.markDismissed(manager, id, { actor: `client:${client.name}`, note }));
    });
  }
}
