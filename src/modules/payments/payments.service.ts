import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
}
