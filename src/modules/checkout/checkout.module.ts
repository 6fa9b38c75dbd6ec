import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module.js';
import { CheckoutCancelController } from './checkout-cancel.controller.js';
import { CheckoutResponder } from './checkout-responder.js';
import { CheckoutStreams } from './checkout-streams.js';
import { CheckoutController } from './checkout.controller.js';
import { CheckoutService } from './checkout.service.js';
import { PaymentChangeFeed } from './payment-change-feed.js';

/** The payer's hosted checkout page. Depends on payments; payments knows nothing of it. */
@Module({
  imports: [PaymentsModule],
  controllers: [CheckoutController, CheckoutCancelController],
  providers: [CheckoutService, CheckoutStreams, CheckoutResponder, PaymentChangeFeed],
})
export class CheckoutModule {}
