import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { QrOrdersModule } from '../qr-orders/qr-orders.module.js';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';
import { IdempotencyService } from './idempotency.service.js';
import { PaymentCheckoutRepository } from './payment-checkout.repository.js';
import { PaymentCheckoutService } from './payment-checkout.service.js';
import { PaymentQrImagesService } from './payment-qr-images.service.js';
import { PaymentQrImagesController } from './payment-qr-images.controller.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsSweeper } from './payments-sweeper.js';
import { PaymentCreationService } from './payment-creation.service.js';
import { PaymentCreditsService } from './payment-credits.service.js';
import { PaymentEvents } from './payment-events.js';
import { PaymentLifecycleService } from './payment-lifecycle.service.js';
import { PaymentLinksRepository } from './payment-links.repository.js';
import { PaymentMapper } from './payment.mapper.js';
import { PaymentBatchMetrics } from './payment-batch-metrics.js';
import { PaymentWrites } from './payment-writes.js';
import { PaymentQueriesRepository } from './payment-queries.repository.js';
import { PaymentQueriesService } from './payment-queries.service.js';
import { RecentPayments } from './recent-payments.js';

@Module({
  imports: [AuthModule, MetricsModule, OutboxModule, QrOrdersModule],
  controllers: [PaymentsController, PaymentQrImagesController],
  providers: [
    PaymentsRepository,
    PaymentWrites,
    PaymentBatchMetrics,
    PaymentQueriesRepository,
    PaymentLinksRepository,
    IdempotencyKeysRepository,
    IdempotencyService,
    PaymentMapper,
    PaymentEvents,
    PaymentCreationService,
    PaymentCreditsService,
    PaymentLifecycleService,
    PaymentQueriesService,
    PaymentQrImagesService,
    PaymentsSweeper,
    PaymentCheckoutRepository,
    PaymentCheckoutService,
    RecentPayments,
  ],
  // Credits for the ledger (transaction-sync), reads for reconciliation, the payer's side for checkout.
  exports: [PaymentCreditsService, PaymentQueriesService, PaymentCheckoutService],
})
export class PaymentsModule {}
