import { DynamicModule, Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module.js';
import { BankTransactionsRepository } from './bank-transactions.repository.js';
import { TransactionReviewService } from './transaction-review.service.js';
import { TransactionSyncService } from './transaction-sync.service.js';

/** The bank-transaction ledger and its services, shared by the partner routes and the review queue. */
@Module({})
export class TransactionLedgerModule {
  /** payments: the app's one PaymentsModule registration (exports PaymentsService). */
  static register(payments: DynamicModule): DynamicModule {
    return {
      module: TransactionLedgerModule,
      imports: [payments, OutboxModule],
      providers: [BankTransactionsRepository, TransactionSyncService, TransactionReviewService],
      exports: [TransactionSyncService, TransactionReviewService],
    };
  }
}
