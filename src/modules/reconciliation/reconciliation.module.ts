import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { TransactionSyncModule } from '../transaction-sync/transaction-sync.module.js';
import { VietQrModule } from '../vietqr/vietqr.module.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationService } from './reconciliation.service.js';

/** Payment actions that need VietQR and the ledger together: reconcile (and, in the sandbox, simulate). */
@Module({
  imports: [AuthModule, VietQrModule, PaymentsModule, TransactionSyncModule],
  controllers: [ReconciliationController],
  providers: [ReconciliationService],
  exports: [ReconciliationService],
})
export class ReconciliationModule {}
