import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpService, type HttpModuleOptions } from '@nestjs/axios';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import axios, { isAxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { ErrorCode } from '../../common/errors/error-code.js';
import { requestIdHeader } from '../../common/http/request-context.js';
import { AppConfig } from '../../config/app-config.js';
import { meaningOf, parseVietQrMessage } from './vietqr-error-codes.js';
import { VietQrException, VietQrOperation } from './vietqr.exception.js';
import {
  CheckOrderItem,
  CheckOrderRequest,
  GenerateCustomerRequest,
  GenerateCustomerResponse,
  RefundRequest,
  TestCallbackRequest,
  VietQrActionResult,
  VietQrToken,
} from './vietqr.types.js';

// Refresh the cached token this long before VietQR says it expires.
const TOKEN_MARGIN_MS = 60_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

interface CachedToken {
  value: string;
  refreshAt: number;
}

interface Answer {
  status: number;
  body: unknown;
  text: string;
}

/** md5_hex_lower(secretKey + referenceNumber + amount + bankAccount), amount exactly as sent (§1.5). */
export function refundChecksum(
  secretKey: string,
  referenceNumber: string,
  amount: string,
  bankAccount: string,
): string {
  return createHash('md5')
    .update(secretKey + referenceNumber + amount + bankAccount, 'utf8')
    .digest('hex');
}

/**
 * The axios settings of every call to VietQR (VietQrModule registers HttpModule with them): VIETQR_TIMEOUT_MS,
 * kept-alive agents reused across calls, a 1 MiB answer cap, no redirects, and every status handed back as
 * an answer this client interprets itself.
 */
export function vietQrHttpOptions(config: AppConfig): HttpModuleOptions {
  return {
    timeout: config.vietqr.timeoutMs,
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    maxContentLength: MAX_RESPONSE_BYTES,
    maxRedirects: 0,
    responseType: 'text',
    validateStatus: () => true,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  };
}

/** Where the client sends its calls: VIETQR_API_URL, else (outside production) our own emulator. */
export function vietQrBaseUrl(config: AppConfig): string | undefined {
  if (config.vietqr.url) return config.vietqr.url;
  if (config.isProduction || !config.sandbox.enabled) return undefined;
  return `http://127.0.0.1:${config.http.port}/sandbox/vqr`;
}

/**
 * VietQR's merchant API (vietqr-api.md §1). One token is cached and shared; a 401/403 on a business call
 * refreshes it once and repeats the call once (the call was refused, so nothing happened upstream). Nothing
 * else is retried: generate-customer and test-callback are not idempotent upstream.
 */
@Injectable()
export class VietQrClient implements OnModuleDestroy {
  private readonly logger = new Logger(VietQrClient.name);
  private readonly baseUrl: string | undefined;
  private token: CachedToken | undefined;
  private tokenRequest: Promise<string> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly http: HttpService,
  ) {
    this.baseUrl = vietQrBaseUrl(config);
  }

  onModuleDestroy(): void {
    const { defaults } = this.http.axiosRef;
    (defaults.httpAgent as HttpAgent | undefined)?.destroy();
    (defaults.httpsAgent as HttpsAgent | undefined)?.destroy();
  }

  /** The cached token, or a new one; concurrent callers share one in-flight token request. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.tokenRequest ??= this.requestToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  /** api/qr/generate-customer: a VietQR code for one order. */
  async generateCustomer(request: GenerateCustomerRequest): Promise<GenerateCustomerResponse> {
    const body = await this.business('generate-customer', 'api/qr/generate-customer', request);
    const answer = body as Partial<GenerateCustomerResponse> | null;
    if (!answer || typeof answer.qrCode !== 'string' || typeof answer.content !== 'string') {
      throw this.malformed('generate-customer');
    }
    return answer as GenerateCustomerResponse;
  }

  /** bank/api/test/transaction-callback (sandbox only): VietQR pretends the transfer was paid and calls us. */
  async testCallback(request: TestCallbackRequest): Promise<VietQrActionResult> {
    const body = await this.business('test-callback', 'bank/api/test/transaction-callback', request);
    const answer = body as Partial<VietQrActionResult> | null;
    if (!answer || answer.status !== 'SUCCESS') throw this.malformed('test-callback');
    return { status: 'SUCCESS', message: typeof answer.message === 'string' ? answer.message : '' };
  }

  /** api/transactions/check-order: VietQR's record of the transactions of an order or a bank reference. */
  async checkOrder(request: CheckOrderRequest): Promise<CheckOrderItem[]> {
    const checkSum = createHash('md5')
      .update(request.bankAccount + this.config.vietqr.username, 'utf8')
      .digest('hex');
    const body = await this.business('check-order', 'api/transactions/check-order', { ...request, checkSum });
    if (!Array.isArray(body)) throw this.malformed('check-order');
    return (body as CheckOrderItem[]).map((item) => ({ ...item, amount: Number(item.amount) }));
  }

  /**
   * api/transaction/refund: returns the refund's FT code. Never repeated here: a call whose answer was lost
   * may have refunded, so the caller settles it from check-order.
   */
  async refund(request: RefundRequest, secretKey: string): Promise<string> {
    const checkSum = refundChecksum(secretKey, request.referenceNumber, request.amount, request.bankAccount);
    const body = await this.business('refund', 'api/transaction/refund', { ...request, checkSum });
    const answer = body as Partial<VietQrActionResult> | null;
    if (!answer || answer.status !== 'SUCCESS' || typeof answer.message !== 'string') {
      throw this.malformed('refund');
    }
    return answer.message;
  }

  private async requestToken(): Promise<string> {
    const { username, password } = this.config.vietqr;
    const basic = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
    const answer = await this.send('token', 'api/token_generate', {}, `Basic ${basic}`);
    if (answer.status === 401 || answer.status === 403) {
      throw new VietQrException(
        ErrorCode.UpstreamError,
        `VietQR refused our API credentials (HTTP ${answer.status}); check VIETQR_API_USERNAME/PASSWORD`,
        {
          operation: 'token',
          vietqrCode: null,
          meaning: 'Wrong API credentials',
          upstreamStatus: answer.status,
        },
      );
    }
    if (answer.status !== 200) throw this.refused('token', answer);
    const token = answer.body as Partial<VietQrToken> | null;
    if (!token || typeof token.access_token !== 'string' || token.access_token === '') {
      throw this.malformed('token');
    }
    const lifetimeMs = Number(token.expires_in) * 1000;
    const usableMs = Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? lifetimeMs : 0;
    // A token shorter-lived than the margin is still reused for half its life.
    const refreshIn = Math.max(usableMs - TOKEN_MARGIN_MS, usableMs / 2);
    this.token = { value: token.access_token, refreshAt: Date.now() + refreshIn };
    return token.access_token;
  }

  private async business(operation: VietQrOperation, path: string, body: object): Promise<unknown> {
    let token = await this.accessToken();
    let answer = await this.send(operation, path, body, `Bearer ${token}`);
    if (answer.status === 401 || answer.status === 403) {
      // Expired or revoked: forget it unless a concurrent caller already replaced it, then repeat once.
      if (this.token?.value === token) this.token = undefined;
      this.logger.log(`VietQR refused the token on ${operation} (HTTP ${answer.status}); refreshing once`);
      token = await this.accessToken();
      answer = await this.send(operation, path, body, `Bearer ${token}`);
    }
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    throw this.refused(operation, answer);
  }

  private async send(
    operation: VietQrOperation,
    path: string,
    body: object,
    authorization: string,
  ): Promise<Answer> {
    if (!this.baseUrl) {
      throw new VietQrException(
        ErrorCode.UpstreamUnavailable,
        'VietQR is not configured: set VIETQR_API_URL (or enable the sandbox emulator outside production)',
        { operation, vietqrCode: null, meaning: 'Not configured' },
      );
    }
    const timeoutMs = this.config.vietqr.timeoutMs;
    try {
      const res = await firstValueFrom(
        this.http.post<string>(`${this.baseUrl}/${path}`, body, {
          // The id of the request we serve, so one search finds both sides of the exchange.
          headers: { authorization, ...requestIdHeader() },
          // The socket timeout (vietQrHttpOptions) catches silence; this bounds the whole exchange.
          signal: AbortSignal.timeout(timeoutMs),
        }),
      );
      const text = typeof res.data === 'string' ? res.data : '';
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      return { status: res.status, body: parsed, text };
    } catch (error) {
      throw this.transportFailure(operation, error, timeoutMs);
    }
  }

  private transportFailure(operation: VietQrOperation, error: unknown, timeoutMs: number): VietQrException {
    const errno = isAxiosError(error) ? (error.code ?? '') : '';
    const cause = isAxiosError(error) ? (error.cause as { code?: string } | undefined) : undefined;
    const timedOut =
      errno === 'ECONNABORTED' || errno === 'ETIMEDOUT' || errno === 'ERR_CANCELED' || axios.isCancel(error);
    if (timedOut) {
      this.logger.warn(`VietQR ${operation} did not answer within ${timeoutMs} ms`);
      return new VietQrException(
        ErrorCode.UpstreamTimeout,
        `VietQR did not answer ${operation} within ${timeoutMs} ms`,
        { operation, vietqrCode: null, meaning: 'No answer in time', timeoutMs },
      );
    }
    const reason = UNREACHABLE_ERRNOS.has(errno) ? errno : (cause?.code ?? (errno || 'network error'));
    this.logger.warn(`VietQR ${operation} unreachable: ${reason}`);
    return new VietQrException(ErrorCode.UpstreamUnavailable, `VietQR could not be reached (${reason})`, {
      operation,
      vietqrCode: null,
      meaning: 'Unreachable',
    });
  }

  /** A non-2xx answer: VietQR's {"status":"FAILED","message":"E.."} when it used it. */
  private refused(operation: VietQrOperation, answer: Answer): VietQrException {
    const envelope = answer.body as { status?: unknown; message?: unknown } | null;
    const message = envelope && typeof envelope.message === 'string' ? envelope.message : '';
    const { code, rest } = parseVietQrMessage(message);
    const meaning = code ? meaningOf(code) : `HTTP ${answer.status}`;
    this.logger.warn(`VietQR refused ${operation}: HTTP ${answer.status} ${code ?? ''} ${rest}`.trim());
    return new VietQrException(
      ErrorCode.UpstreamError,
      code
        ? `VietQR refused ${operation}: ${code} (${meaning})${rest ? `: ${rest}` : ''}`
        : `VietQR refused ${operation} with HTTP ${answer.status}`,
      {
        operation,
        vietqrCode: code,
        meaning,
        upstreamStatus: answer.status,
        ...(rest ? { upstreamMessage: rest.slice(0, 500) } : {}),
      },
    );
  }

  private malformed(operation: VietQrOperation): VietQrException {
    return new VietQrException(
      ErrorCode.UpstreamError,
      `VietQR answered ${operation} in an unexpected shape`,
      {
        operation,
        vietqrCode: null,
        meaning: 'Unexpected answer',
      },
    );
  }
}
