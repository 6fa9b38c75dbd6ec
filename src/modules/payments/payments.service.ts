import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { Cause, CreditOutcome, IncomingCredit } from './incoming-credit.js';

@Injectable()
export class PaymentsService {
  /**
   * Links a recorded bank transaction to the payment it pays, in the caller's database transaction.
   * Placeholder of the foundation: the payments capability replaces it with matching and the lifecycle.
   */
  async applyCredit(_manager: EntityManager, credit: IncomingCredit, _cause: Cause): Promise<CreditOutcome> {
    return { result: 'unmatched', reason: credit.transType === 'D' ? 'debit' : 'no_match' };
  }

  /**
   * Links a recorded bank transaction to the given payment by hand (the review queue), in the caller's
   * database transaction, recording cause.actor in the payment history.
   * Placeholder of the transaction-sync branch: the payments capability's real implementation (ownership,
   * payment state, amounts, history) replaces it at merge; the signature is the contract.
   */
  async linkManually(
    _manager: EntityManager,
    _credit: IncomingCredit,
    paymentId: string,
    client: ApiClient,
    _cause: Cause,
  ): Promise<CreditOutcome> {
    return { result: 'linked', paymentId, clientId: client.id };
  }
}
