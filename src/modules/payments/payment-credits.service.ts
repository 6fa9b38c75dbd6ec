import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import type { SqlRunner, Transaction } from '../../database/database.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { decideCredit } from './credit-decision.js';
import type {
  Cause,
  CreditClues,
  CreditOutcome,
  IncomingCredit,
  PaymentCandidates,
  RememberedCandidates,
} from './incoming-credit.js';
import { contentCandidates, normaliseContent, PAYMENT_CODE_PREFIX } from './payment-code.js';
import { PaymentEvents } from './payment-events.js';
import { type ExistingLink, PaymentLinksRepository } from './payment-links.repository.js';
import { paymentNotFound, PaymentException } from './payment.exception.js';
import { PaymentsRepository } from './payments.repository.js';
import { RecentPayments } from './recent-payments.js';

/**
 * Credits reaching payments, by one path: lock the payments the credit could pay, decide (credit-decision.ts),
 * link. The ingest (transaction-sync, and reconciliation through it) locks by what the bank said; a person
 * names the payment. Either way the link and its event are sent without waiting and travel with the commit.
 */
@Injectable()
export class PaymentCreditsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly links: PaymentLinksRepository,
    private readonly events: PaymentEvents,
    private readonly recent: RecentPayments,
    private readonly config: AppConfig,
  ) {}

  /**
   * Locks the payments a credit could pay: the callback's orderId (our payment code) and the VietQR trace
   * ids and payment codes found in its content. Needs only what the bank said, so the ingest sends it
   * beside the ledger insert instead of after it. Null when there is nothing to look for.
   */
  async lockCandidates(db: SqlRunner, credit: CreditClues): Promise<PaymentCandidates | null> {
    const clues = cluesOf(credit);
    if (!clues) return null;
    const found = await this.payments.lockByCodeOrTraceId(db, clues.codes, clues.traceIds);
    return { orderCode: clues.orderCode, tokens: clues.tokens, found };
  }

  /**
   * The payment a credit pays, known without asking the database when the callback's orderId names a
   * payment this instance remembers (RecentPayments): the orderId wins over anything in the content, so
   * the lock would choose that payment too, and the decision is the one lockCandidates would lead to
   * while the payment is as remembered. Taken: a payment is guessed at most once. Null when not known.
   */
  rememberedCandidates(credit: CreditClues, now: Date): RememberedCandidates | null {
    const clues = cluesOf(credit);
    if (!clues?.orderCode) return null;
    const entry = this.recent.take(clues.orderCode, now);
    if (!entry) return null;
    const candidates = { orderCode: clues.orderCode, tokens: clues.tokens, found: [entry.payment] };
    return { candidates, version: entry.version };
  }

  /**
   * The first statement of a credit decided on rememberedCandidates, not waited for: locks the payment if
   * it is still the version remembered, and fails the transaction (SQLSTATE VQ409) if it is not.
   */
  lockRemembered(tx: Transaction, { candidates, version }: RememberedCandidates): void {
    tx.later(this.payments.lockUnchanged(tx, candidates.found[0].id, version));
  }

  /**
   * lockCandidates for several credits recorded in one transaction: one statement locks all their
   * candidates in id order (the order every credit locks in), without waiting (a batch never waits on
   * another transaction's lock: it fails, and its credits run alone). Each credit gets its own share.
   */
  async lockCandidatesTogether(
    db: SqlRunner,
    credits: CreditClues[],
  ): Promise<Array<PaymentCandidates | null>> {
    const clues = credits.map(cluesOf);
    const codes = [...new Set(clues.flatMap((c) => c?.codes ?? []))];
    const traceIds = [...new Set(clues.flatMap((c) => c?.traceIds ?? []))];
    if (codes.length === 0 && traceIds.length === 0) return clues.map(() => null);
    const found = await this.payments.lockByCodeOrTraceId(db, codes, traceIds, { nowait: true });
    return clues.map((c) => {
      if (!c) return null;
      // The lock statement's own condition, for this credit's clues.
      const mine = found.filter(
        (p) =>
          c.codes.includes(p.code) ||
          (p.qrTraceId !== null && c.traceIds.includes(p.qrTraceId.toUpperCase())),
      );
      return { orderCode: c.orderCode, tokens: c.tokens, found: mine };
    });
  }

  /**
   * Links a bank transaction recorded in this very transaction (so linked nowhere yet) to the payment it
   * pays among the candidates lockCandidates locked. The transaction's clock is the row's receivedAt.
   */
  applyCredit(
    tx: Transaction,
    credit: IncomingCredit,
    cause: Cause,
    candidates: PaymentCandidates | null,
  ): CreditOutcome {
    return this.settle(tx, credit, cause, candidates, null, credit.receivedAt);
  }

  /**
   * Links a bank transaction to a payment chosen by a person (the review queue). Same rule as the ingest;
   * the payment must be the client's (an operator's link: any client's), and a transaction linked already
   * stays where it is.
   */
  async linkManually(
    tx: Transaction,
    credit: IncomingCredit,
    paymentId: string,
    client: ApiClient,
    cause: Cause,
  ): Promise<CreditOutcome> {
    const owner = client.role === 'operator' ? null : client.id;
    const [payment, { link, now }] = await Promise.all([
      this.payments.lockForClient(tx, paymentId, owner),
      this.links.findLink(tx, credit.bankTransactionId),
    ]);
    if (!payment) throw paymentNotFound(paymentId);
    const chosen: PaymentCandidates = { orderCode: payment.code, tokens: [], found: [payment] };
    return this.settle(tx, credit, cause, chosen, link, now);
  }

  /** Decides, and sends the link and its event; `at` is the transaction's now(), when the link is made. */
  private settle(
    tx: Transaction,
    credit: IncomingCredit,
    cause: Cause,
    candidates: PaymentCandidates | null,
    existing: ExistingLink | null,
    at: Date,
  ): CreditOutcome {
    const decision = decideCredit(credit, candidates, existing, cause, this.config.vietqr.bankAccount);
    switch (decision.kind) {
      case 'unmatched':
        return { result: 'unmatched', reason: decision.reason };
      case 'linked-before': {
        const { paymentId, clientId, late } = decision.existing;
        if (paymentId !== decision.payment.id) {
          throw new PaymentException(
            ErrorCode.TransactionAlreadyLinked,
            `Bank transaction ${credit.bankTransactionId} is already linked to another payment`,
            { paymentId },
          );
        }
        return { result: late ? 'late' : 'linked', paymentId, clientId };
      }
      case 'link': {
        const { payment, link } = decision;
        this.links.sendLink(tx, link, at);
        // The payment as the link leaves it: known here, so nothing waits for the statement's answer.
        const linked = { ...payment, amountPaid: link.amountPaid, status: link.toStatus, updatedAt: at };
        this.events.creditLinked(tx, link, linked, {
          bankTransactionId: credit.bankTransactionId,
          paymentId: payment.id,
          reference: credit.reference,
          amount: credit.amount,
          content: credit.content,
          bankAccount: credit.bankAccount,
          late: link.late,
          paidAt: credit.paidAt,
          receivedAt: credit.receivedAt,
          linkedAt: at,
          linkedBy: link.actor,
        });
        return { result: link.late ? 'late' : 'linked', paymentId: payment.id, clientId: payment.clientId };
      }
    }
  }
}

/** What the lock looks for: our payment codes (the orderId first) and VietQR trace ids. */
function cluesOf(
  credit: CreditClues,
): { orderCode: string | null; tokens: string[]; codes: string[]; traceIds: string[] } | null {
  if (credit.transType !== 'C' || !(credit.amount > 0)) return null;
  const orderCode = credit.orderId ? normaliseContent(credit.orderId) : null;
  const tokens = contentCandidates(credit.content);
  const codes = tokens.filter((c) => c.startsWith(PAYMENT_CODE_PREFIX));
  if (orderCode) codes.unshift(orderCode);
  const traceIds = tokens.filter((c) => !c.startsWith(PAYMENT_CODE_PREFIX));
  if (codes.length === 0 && traceIds.length === 0) return null;
  return { orderCode, tokens, codes, traceIds };
}
