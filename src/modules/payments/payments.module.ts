import { DynamicModule, Module, Type } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';
import { IdempotencyService } from './idempotency.service.js';
import { PaymentCheckoutRepository } from './payment-checkout.repository.js';
import { PaymentCheckoutService } from './payment-checkout.service.js';
import { PaymentQrImagesService } from './payment-qr-images.service.js';
import { PaymentQrImagesController } from './payment-qr-images.controller.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsSweeper } from './payments-sweeper.js';
import { PaymentsService } from './payments.service.js';

@Module({})
export class PaymentsModule {
  /**
   * qrIssuerModule must export a provider for QrIssuer (see qr-issuer.port.ts). The app module passes
   * QrOrdersModule, so payments itself imports no other feature module.
   */
  static register(qrIssuerModule: Type<unknown> | DynamicModule): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [AuthModule, OutboxModule, qrIssuerModule],
      controllers: [PaymentsController, PaymentQrImagesController],
      providers: [
        PaymentsRepository,
        IdempotencyKeysRepository,
        IdempotencyService,
        PaymentsService,
        PaymentQrImagesService,
        PaymentsSweeper,
        PaymentCheckoutRepository,
        PaymentCheckoutService,
      ],
      exports: [PaymentsService, PaymentCheckoutService],
    };
  }
}
