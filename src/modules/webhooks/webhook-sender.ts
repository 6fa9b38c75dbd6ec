import { Agent as HttpAgent, ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { requestIdHeader } from '../../common/http/request-context.js';
import { AppConfig } from '../../config/app-config.js';
import { checkUrlShape, publicOnlyLookup, UrlPolicy, UrlRefusedError } from './webhook-url-policy.js';
import { signWebhook } from './webhook-signing.js';

export const RESPONSE_SNIPPET_BYTES = 512;
const USER_AGENT = 'vietqr-gateway-webhooks/1';

export interface WebhookMessage {
  /** webhook-id: the event id, the same on every attempt so receivers can deduplicate. */
  id: string;
  /** The exact bytes that are signed and sent. */
  body: string;
  secrets: string[];
  /** Sent as x-request-id: the request that caused the message (webhook-id stays the event id). */
  requestId?: string;
}

export interface AttemptResult {
  delivered: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseSnippet: string | null;
}

function snippet(chunks: Buffer[]): string | null {
  if (chunks.length === 0) return null;
  // Cut to whole characters within the byte budget; Postgres text cannot hold NUL.
  let text = Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8').replace(/\0/g, '');
  while (Buffer.byteLength(text) > RESPONSE_SNIPPET_BYTES) text = text.slice(0, -1);
  return text;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.slice(0, 300);
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(error).slice(0, 300);
}

/** One HTTP POST of a signed webhook, outside any database transaction. Never throws. */
@Injectable()
export class WebhookSender implements OnApplicationShutdown {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 8 });
  private readonly inFlight = new Set<ClientRequest>();
  private readonly policy: UrlPolicy;

  constructor(private readonly config: AppConfig) {
    this.policy = {
      production: config.isProduction,
      allowPrivateTargets: config.webhooks.allowPrivateTargets,
    };
  }

  /** Cancels every request in flight (their attempts end with this error) and closes idle sockets. */
  abortAll(reason: string): void {
    for (const req of this.inFlight) req.destroy(new Error(reason));
  }

  onApplicationShutdown(): void {
    this.abortAll('instance shutting down');
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  async send(targetUrl: string, message: WebhookMessage): Promise<AttemptResult> {
    const started = Date.now();
    const fail = (error: unknown, statusCode: number | null = null): AttemptResult => ({
      delivered: false,
      statusCode,
      latencyMs: Date.now() - started,
      error: describe(error),
      responseSnippet: null,
    });

    let url: URL;
    try {
      // Re-checked on every attempt: the policy may have changed since the endpoint was registered.
      url = checkUrlShape(targetUrl, this.policy);
    } catch (error) {
      return fail(error instanceof UrlRefusedError ? `refused: ${error.message}` : error);
    }

    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...(message.requestId ? { 'x-request-id': message.requestId } : requestIdHeader()),
      ...signWebhook(message.id, new Date(), message.body, message.secrets),
    };
    const https = url.protocol === 'https:';
    const timeoutMs = this.config.webhooks.timeoutMs;

    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      let statusCode: number | null = null;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(req);
        resolve(result);
      };
      const done = () =>
        finish({
          delivered: statusCode !== null && statusCode >= 200 && statusCode < 300,
          statusCode,
          latencyMs: Date.now() - started,
          error: statusCode !== null && statusCode >= 200 && statusCode < 300 ? null : `HTTP ${statusCode}`,
          responseSnippet: snippet(chunks),
        });

      const req = (https ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(message.body) },
        agent: https ? this.httpsAgent : this.httpAgent,
        lookup: this.policy.allowPrivateTargets ? undefined : publicOnlyLookup,
      });
      this.inFlight.add(req);
      const timer = setTimeout(() => req.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);

      req.on('response', (res: IncomingMessage) => {
        statusCode = res.statusCode ?? null;
        res.on('data', (chunk: Buffer) => {
          if (size >= RESPONSE_SNIPPET_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          // Enough of the answer is kept; a receiver streaming a large body must not hold the slot.
          if (size >= RESPONSE_SNIPPET_BYTES) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', (error) => (statusCode === null ? finish(fail(error)) : done()));
      });
      req.on('error', (error) => finish(fail(error, statusCode)));
      req.end(message.body);
    });
  }
}
