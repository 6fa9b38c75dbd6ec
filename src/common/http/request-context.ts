import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  /** The request's x-request-id (given by the caller or made up), or the id a background job works under. */
  requestId: string;
}

// Our own store, set by Fastify hooks: nestjs-pino's middleware never runs under Fastify's router here, and
// the body parser's stream events would drop a context set before them anyway (preHandler sets it again).
const storage = new AsyncLocalStorage<RequestContext>();

/** Makes `requestId` current for the rest of this execution and everything it starts. */
export function enterRequestContext(requestId: string): void {
  storage.enterWith({ requestId });
}

/** Runs fn (and what it starts) under requestId: for work outside a request, e.g. a webhook delivery. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** The request id of the request (or job) being served, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** `x-request-id` for an outbound call made while serving a request (none outside one). */
export function requestIdHeader(): { 'x-request-id': string } | Record<string, never> {
  const requestId = currentRequestId();
  return requestId ? { 'x-request-id': requestId } : {};
}
