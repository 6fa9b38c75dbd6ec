import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { VietQrModule } from '../vietqr/vietqr.module.js';
import { RefundCreationService } from './refund-creation.service.js';
import { RefundSourcesRepository } from './refund-sources.repository.js';
import { RefundSettlementService } from './refund-settlement.service.js';
import { RefundWorkRepository } from './refund-work.repository.js';
import { RefundWorker } from './refund-worker.js';
import { RefundsController } from './refunds.controller.js';
import { RefundsRepository } from './refunds.repository.js';
import { RefundsService } from './refunds.service.js';

/**
 * Money back to the payer: through VietQR's refund API, or recorded when a person did it. Reads the
 * payments' and the ledger's tables and keeps the payment's refund columns; nothing imports this module.
 */
@Module({
  imports: [AuthModule, OutboxModule, VietQrModule],
  controllers: [RefundsController],
  providers: [
    RefundsRepository,
    RefundSourcesRepository,
    RefundWorkRepository,
    RefundSettlementService,
    RefundCreationService,
    RefundsService,
    RefundWorker,
  ],
})
export class RefundsModule {}
