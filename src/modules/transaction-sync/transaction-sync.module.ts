import { DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { AppConfig } from '../../config/app-config.js';
import { AuthModule } from '../auth/auth.module.js';
import { PartnerAuthModule } from '../auth/partner/partner-auth.module.js';
import { TransactionLedgerModule } from './transaction-ledger.module.js';
import { TransactionReviewController } from './transaction-review.controller.js';
import { TransactionSyncPartnerModule } from './transaction-sync-partner.module.js';

/**
 * Inbound bank transactions: VietQR's token endpoint and transaction-sync under config.partner.callbackPrefix,
 * and the review queue under /api/v1/transactions (no prefix).
 */
@Module({})
export class TransactionSyncModule {
  /**
   * payments must be the same DynamicModule object the app module imports: Nest identifies dynamic modules
   * by reference, so a second PaymentsModule.register(...) call would make a second PaymentsService.
   */
  static register(config: AppConfig, payments: DynamicModule): DynamicModule {
    const ledger = TransactionLedgerModule.register(payments);
    const partner = TransactionSyncPartnerModule.register(ledger);
    const path = config.partner.callbackPrefix || '/';
    return {
      module: TransactionSyncModule,
      imports: [
        AuthModule,
        ledger,
        PartnerAuthModule,
        partner,
        RouterModule.register([
          { path, module: PartnerAuthModule },
          { path, module: TransactionSyncPartnerModule },
        ]),
      ],
      controllers: [TransactionReviewController],
      // The ledger's ingest is shared with reconciliation.
      exports: [ledger],
    };
  }
}
