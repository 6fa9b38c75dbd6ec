import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { QrOrdersModule } from '../qr-orders/qr-orders.module.js';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';
import { IdempotencyService } from './idempotency.service.js';
import { PaymentQrImagesService } from './payment-qr-images.service.js';
import { PaymentQrImagesController } from './payment-qr-images.controller.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsSweeper } from './payments-sweeper.js';
import { PaymentsService } from './payments.service.js';

@Module({
  imports: [AuthModule, OutboxModule, QrOrdersModule],
  controllers: [PaymentsController, PaymentQrImagesController],
  providers: [
    PaymentsRepository,
    IdempotencyKeysRepository,
    IdempotencyService,
    PaymentsService,
    PaymentQrImagesService,
    PaymentsSweeper,
  ],
  exports: [PaymentsService],
})
export class PaymentsModule {}
