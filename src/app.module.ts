import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, RouterModule } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { createValidationPipe } from './common/http/validation.js';
import { loggerOptions } from './common/logging/logger-options.js';
import { AppConfig } from './config/app-config.js';
import { CoreModule } from './config/core.module.js';
import { DatabaseModule } from './database/database.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { CheckoutModule } from './modules/checkout/checkout.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { OutboxModule } from './modules/outbox/outbox.module.js';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { ReconciliationModule } from './modules/reconciliation/reconciliation.module.js';
import { RefundsModule } from './modules/refunds/refunds.module.js';
import { SimulationModule } from './modules/reconciliation/simulation.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { SandboxModule } from './modules/sandbox/sandbox.module.js';
import { TransactionSyncModule } from './modules/transaction-sync/transaction-sync.module.js';
import { VietQrPartnerModule } from './modules/vietqr-partner/vietqr-partner.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config),
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
        DatabaseModule.register(config),
        HealthModule,
        MetricsModule,
        AuthModule,
        OutboxModule,
        PaymentsModule,
        TransactionSyncModule,
        VietQrPartnerModule,
        RouterModule.register([{ path: config.partner.callbackPrefix || '/', module: VietQrPartnerModule }]),
        ReconciliationModule,
        ...(config.isProduction ? [] : [SimulationModule]),
        // The VietQR emulator: never in production, whatever the flag says.
        ...(config.sandbox.enabled && !config.isProduction ? [SandboxModule] : []),
        WebhooksModule,
        RefundsModule,
        CheckoutModule,
        ReportsModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
