import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { VietQrModule } from '../vietqr/vietqr.module.js';
import { ReconcileChecksRepository } from './reconcile-checks.repository.js';
import { ReconcileMetrics } from './reconcile-metrics.js';
import { ReconcileScheduler } from './reconcile-scheduler.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationService } from './reconciliation.service.js';
import { SimulationController } from './simulation.controller.js';

/**
 * Payment actions that need VietQR and the ledger together: reconcile (asked for, and scheduled), and
 * (sandbox) simulate.
 */
@Module({})
export class ReconciliationModule {
  /** payments and transactionSync: the app's own registrations (Nest tells dynamic modules apart by reference). */
  static register(
    payments: DynamicModule,
    transactionSync: DynamicModule,
    opts: { simulate: boolean },
  ): DynamicModule {
    return {
      module: ReconciliationModule,
      imports: [AuthModule, MetricsModule, VietQrModule, payments, transactionSync],
      providers: [ReconciliationService, ReconcileMetrics, ReconcileChecksRepository, ReconcileScheduler],
      controllers: opts.simulate
        ? [ReconciliationController, SimulationController]
        : [ReconciliationController],
    };
  }
}
