import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { Logger, LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { requestIdFor } from './common/http/request-id.js';
import { loggerOptions } from './common/logging/logger-options.js';
import { AppConfig } from './config/app-config.js';
import { CoreModule } from './config/core.module.js';
import { SandboxModule } from './modules/sandbox/sandbox.module.js';
import { setupSwagger } from './swagger.js';

/** Just the VietQR emulator: no database, no payments. */
@Module({})
export class SandboxAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: SandboxAppModule,
      imports: [
        CoreModule.register(config),
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
        SandboxModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}

/** The emulator as its own app (`npm run sandbox`, and tests that need a VietQR on another port). */
export async function createSandboxApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: false,
    bodyLimit: config.http.bodyLimitBytes,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
  });
  const app = await NestFactory.create<NestFastifyApplication>(SandboxAppModule.register(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  setupSwagger(app);
  return app;
}
