import { DynamicModule, Module, Type } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OutboxModule } from '../outbox/outbox.module.js';
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
      providers: [PaymentsService],
      exports: [PaymentsService],
    };
  }
}
