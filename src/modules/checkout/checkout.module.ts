import { DynamicModule, Module } from '@nestjs/common';
import { CheckoutStreams } from './checkout-streams.js';
import { CheckoutController } from './checkout.controller.js';
import { CheckoutService } from './checkout.service.js';
import { PaymentChangeFeed } from './payment-change-feed.js';

/** The payer's hosted checkout page. Depends on payments; payments knows nothing of it. */
@Module({})
export class CheckoutModule {
  /** payments: the app's own registration of PaymentsModule (Nest tells dynamic modules apart by reference). */
  static register(payments: DynamicModule): DynamicModule {
    return {
      module: CheckoutModule,
      imports: [payments],
      controllers: [CheckoutController],
      providers: [CheckoutService, CheckoutStreams, PaymentChangeFeed],
    };
  }
}
