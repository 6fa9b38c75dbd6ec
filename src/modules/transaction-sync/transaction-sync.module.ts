import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { BankTransactionsRepository } from './bank-transactions.repository.js';
import { CreditBatchMetrics } from './credit-batch-metrics.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { TransactionReviewController } from './transaction-review.controller.js';
import { TransactionReviewService } from './transaction-review.service.js';
import { TransactionSyncService } from './transaction-sync.service.js';

/**
 * The bank-transaction ledger: the idempotent ingest (behind VietQR's transaction-sync and reconciliation)
 * and the review queue under /api/v1/transactions.
 */
@Module({
  imports: [AuthModule, MetricsModule, OutboxModule, PaymentsModule],
  controllers: [TransactionReviewController],
  providers: [
    BankTransactionsRepository,
    CreditBatchMetrics,
    DeliveryRecorder,
    TransactionSyncService,
    TransactionReviewService,
  ],
  exports: [TransactionSyncService],
})
export class TransactionSyncModule {}
