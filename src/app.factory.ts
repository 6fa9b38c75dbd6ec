import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AppException } from './common/errors/app.exception.js';
import { ErrorCode } from './common/errors/error-code.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './common/http/json-depth.js';
import { requestIdFor } from './common/http/request-id.js';
import { installRequestLogging } from './common/logging/access-log.js';
import { AppConfig } from './config/app-config.js';
import { TOKEN_PATH, TRANSACTION_SYNC_PATH } from './modules/auth/partner/partner-auth.module.js';
import { HttpMetricsService } from './modules/metrics/http-metrics.service.js';
import { setupSwagger } from './swagger.js';

/** Builds the whole application (not yet listening); main.ts and the tests share it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: false,
    bodyLimit: config.http.bodyLimitBytes,
    // VietQR builds callback URLs as base + '/' + suffix + path, so a '//' can appear when no suffix is set.
    routerOptions: { maxParamLength: 200, ignoreDuplicateSlashes: true },
    genReqId: (req: IncomingMessage) => {
      const id = requestIdFor(req);
      (req as typeof req & { id?: string }).id = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Keeps the received JSON bytes on the request (the same buffer that was parsed): the inbound ledger
    // stores the transaction-sync body exactly as VietQR sent it.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(HttpMetricsService);

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-request-id', request.id);
  });
  const prefix = config.partner.callbackPrefix;
  installRequestLogging(
    fastify,
    () => PinoLogger.root,
    new Set([`${prefix}${TOKEN_PATH}`, `${prefix}${TRANSACTION_SYNC_PATH}`]),
  );
  // Before any handler: validation would recurse through a hostile body and overflow the stack (a 500).
  fastify.addHook('preValidation', async (request: FastifyRequest) => {
    if (exceedsJsonDepth(request.body)) {
      throw new AppException(ErrorCode.MalformedBody, `Body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  setupSwagger(app);
  return app;
}
