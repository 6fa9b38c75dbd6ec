import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { TransactionSyncModule } from '../transaction-sync/transaction-sync.module.js';
import { VietQrModule } from '../vietqr/vietqr.module.js';
import { ReconcileChecksRepository } from './reconcile-checks.repository.js';
import { ReconcileMetrics } from './reconcile-metrics.js';
import { ReconcileScheduler } from './reconcile-scheduler.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * Payment actions that need VietQR and the ledger together: reconcile (asked for, and scheduled), and
 * (sandbox, SimulationModule) simulate.
 */
@Module({
  imports: [AuthModule, MetricsModule, VietQrModule, PaymentsModule, TransactionSyncModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService, ReconcileMetrics, ReconcileChecksRepository, ReconcileScheduler],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
