import { DynamicModule, Module } from '@nestjs/common';
import { PartnerAuthModule } from '../auth/partner/partner-auth.module.js';
import { TransactionSyncController } from './transaction-sync.controller.js';

/** Holds only the VietQR-facing controller, so RouterModule can mount it under the callback prefix. */
@Module({})
export class TransactionSyncPartnerModule {
  static register(ledger: DynamicModule): DynamicModule {
    return {
      module: TransactionSyncPartnerModule,
      imports: [ledger, PartnerAuthModule],
      controllers: [TransactionSyncController],
    };
  }
}
