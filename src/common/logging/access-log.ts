import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoInstance } from 'pino';
import { enterRequestContext } from '../http/request-context.js';

// Probes and scrapes: every hit at info would drown the log.
const QUIET_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

type WithClient = FastifyRequest & { apiClient?: { name: string } };

/** The fields of the one access-log line of a request: never a header, a query, a body or a secret. */
export function accessLogFields(
  request: FastifyRequest,
  reply: FastifyReply,
  partnerRoutes: ReadonlySet<string>,
): Record<string, unknown> {
  const route = request.routeOptions.url;
  const fields: Record<string, unknown> = {
    method: request.method,
    route: route ?? null,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
  };
  const client = (request as WithClient).apiClient?.name;
  if (client) fields.client = client;
  else if (route && partnerRoutes.has(route)) fields.partner = 'vietqr';
  return fields;
}

// The access line is made of the fixed fields above, none of them a secret, so it skips the redaction every
// other line keeps: its wildcard paths (logger-options.ts) run on each field of each line, about 13 kB of
// garbage per request, a tenth of a lone credit's (BENCHMARKS.md).
const unredacted = new WeakMap<PinoInstance, PinoInstance>();
export function accessLogger(root: PinoInstance): PinoInstance {
  let log = unredacted.get(root);
  if (!log) unredacted.set(root, (log = root.child({}, { redact: [] })));
  return log;
}

/**
 * One line per request at info (probes and metrics at debug), written when the answer has gone out, and the
 * request id made current for every log line written while serving the request.
 */
export function installRequestLogging(
  fastify: FastifyInstance,
  logger: () => PinoInstance | undefined,
  partnerRoutes: ReadonlySet<string>,
): void {
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    enterRequestContext(String(request.id));
  });
  // The body arrived through stream events, which do not carry the context set above: set it again.
  fastify.addHook('preHandler', async (request: FastifyRequest) => {
    enterRequestContext(String(request.id));
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const root = logger();
    if (!root) return;
    const log = accessLogger(root);
    const fields = accessLogFields(request, reply, partnerRoutes);
    const route = request.routeOptions.url;
    const level = route && QUIET_ROUTES.has(route) ? 'debug' : 'info';
    log[level](
      { reqId: String(request.id), ...fields },
      `${request.method} ${route ?? 'unmatched'} ${reply.statusCode}`,
    );
  });
}
