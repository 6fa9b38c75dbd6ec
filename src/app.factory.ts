import fastifyRateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AppException } from './common/errors/app.exception.js';
import { ErrorCode } from './common/errors/error-code.js';
import { clientErrorHandler, installBodyDrain, unsupportedMediaType } from './common/http/body-guards.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './common/http/json-depth.js';
import { requestIdFor } from './common/http/request-id.js';
import { installRequestLogging } from './common/logging/access-log.js';
import { AppConfig } from './config/app-config.js';
import type { TrustProxy } from './config/network-config.js';
import { TOKEN_PATH, TRANSACTION_SYNC_PATH } from './modules/vietqr-partner/partner-routes.js';
import { HttpMetricsService } from './modules/metrics/http-metrics.service.js';
import { setupSwagger } from './swagger.js';

/** A hop count as the function Fastify's types take (the nearest `hops` hops are trusted). */
function trustProxyOption(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** Builds the whole application (not yet listening); main.ts and the tests share it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const requestTimeoutMs = config.http.requestTimeoutMs;
  const adapter = new FastifyAdapter({
    logger: false,
    bodyLimit: config.http.bodyLimitBytes,
    // A body that trickles in (or never ends) is cut: 408, then the connection closes.
    requestTimeout: requestTimeoutMs,
    // Given to the server's constructor too: set afterwards (as Fastify does), Node never applies it while
    // headersTimeout stays longer; and Node checks the deadlines every 30 s unless told otherwise.
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs > 0 ? Math.min(60_000, requestTimeoutMs) : 60_000,
      connectionsCheckingInterval: requestTimeoutMs > 0 ? Math.min(1_000, requestTimeoutMs) : 30_000,
    },
    clientErrorHandler,
    // Behind a reverse proxy: request.ip is the client named by the trusted hops' X-Forwarded-For; a header
    // from any other hop is ignored (off by default: request.ip is the peer's address).
    trustProxy: trustProxyOption(config.http.trustProxy),
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
  // Nest and Fastify would parse form and text posts, and validation would then complain about each field:
  // every body we take is JSON, so these answer 415 naming the type. An empty one (a checkout page's form
  // with a button and no field) carries nothing to misread and passes as {}.
  app.useBodyParser(
    ['application/x-www-form-urlencoded', 'text/plain'],
    { bodyLimit: config.http.bodyLimitBytes },
    (req: FastifyRequest, body: Buffer) =>
      body.length === 0
        ? Promise.resolve({})
        : Promise.reject(unsupportedMediaType(req.headers['content-type'])),
  );
  // Opt-in per route (the checkout page and its live status): per address, per route, per instance.
  await app.register(fastifyRateLimit, {
    global: false,
    max: config.checkout.rateLimitPerMinute,
    timeWindow: 60_000,
  });

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(HttpMetricsService);

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-request-id', request.id);
  });
  installBodyDrain(fastify, Math.max(1024 * 1024, 4 * config.http.bodyLimitBytes));
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
