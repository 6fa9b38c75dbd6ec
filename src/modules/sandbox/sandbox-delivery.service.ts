import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SandboxState } from './sandbox-state.js';

/** The body VietQR posts to a partner's transaction-sync, lower-case keys and all (vietqr-api.md §2.2). */
export interface TransactionSyncBody {
  transactionid: string;
  transactiontime: number;
  referencenumber: string;
  amount: number;
  content: string;
  bankaccount: string;
  transType: string;
  orderId: string;
  sign: string;
  terminalCode: string;
  subTerminalCode: string;
  serviceCode: string;
  urlLink: string;
}

export interface DeliveryOutcome {
  /** 2xx with VietQR's 4-key envelope: the sandbox reports SUCCESS. */
  accepted: boolean;
  /** Production would try again (non-400 failure, exception, or a 2xx without object.reftransactionid). */
  retry: boolean;
  /** What the partner said (or what went wrong), for "E05 - <this>". */
  said: string;
}

// VietQR gives no response timeout (vietqr-api.md §2.3); the emulator bounds each request anyway.
const REQUEST_TIMEOUT_MS = 5_000;
// Production's schedule after the first attempt: ≈1, 2, 3, 4 s, then 60 s each, 10 attempts in all.
const RETRY_DELAYS_MS = [1_000, 2_000, 3_000, 4_000, 60_000, 60_000, 60_000, 60_000, 60_000];
const MAX_SAID = 1_000;

/** Delivers a transaction to the partner as VietQR does: a fresh token with Basic, then Bearer + body. */
@Injectable()
export class SandboxDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('SandboxDelivery');
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly config: AppConfig,
    private readonly state: SandboxState,
  ) {}

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** The partner base URL (prefix included): SANDBOX_PARTNER_URL, else this service's own callback prefix. */
  partnerBaseUrl(): string {
    return (
      this.config.sandbox.partnerUrl ??
      `http://127.0.0.1:${this.config.http.port}${this.config.partner.callbackPrefix}`
    );
  }

  /** First attempt now; with SANDBOX_RETRY_SCHEDULE, production's re-sends follow in the background. */
  async deliver(body: TransactionSyncBody): Promise<DeliveryOutcome> {
    const outcome = await this.attempt(body);
    if (outcome.retry && this.config.sandbox.retrySchedule) this.scheduleRetry(body, 0);
    return outcome;
  }

  private scheduleRetry(body: TransactionSyncBody, index: number): void {
    if (index >= RETRY_DELAYS_MS.length) {
      this.logger.warn(`Gave up delivering ${body.referencenumber} after ${index + 1} attempts`);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(body).then((outcome) => {
        if (outcome.retry) this.scheduleRetry(body, index + 1);
      });
    }, RETRY_DELAYS_MS[index]);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(body: TransactionSyncBody): Promise<DeliveryOutcome> {
    this.state.stats.deliveryAttempts++;
    const base = this.partnerBaseUrl();
    const token = await this.partnerToken(base);
    try {
      const res = await fetch(`${base}/bank/api/transaction-sync`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // Without a token VietQR still calls, with no Authorization header at all.
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = (await res.text()).slice(0, MAX_SAID);
      return classify(res.status, text);
    } catch (error) {
      const said = error instanceof Error ? error.message : String(error);
      this.logger.warn(`transaction-sync at ${base} failed: ${said}`);
      return { accepted: false, retry: true, said };
    }
  }

  private async partnerToken(base: string): Promise<string | null> {
    const { username, password } = this.config.partner;
    try {
      const res = await fetch(`${base}/api/token_generate`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
        },
        body: '{}',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const answer = (await res.json().catch(() => null)) as { access_token?: unknown } | null;
      if (res.ok && typeof answer?.access_token === 'string') return answer.access_token;
      this.logger.warn(`Partner token endpoint answered HTTP ${res.status}`);
    } catch (error) {
      this.logger.warn(
        `Partner token endpoint failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return null;
  }
}

function classify(status: number, text: string): DeliveryOutcome {
  if (status < 200 || status >= 300) return { accepted: false, retry: status !== 400, said: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { accepted: false, retry: false, said: text };
  }
  const envelope = parsed as Record<string, unknown> | null;
  const valid =
    envelope !== null &&
    typeof envelope === 'object' &&
    ['error', 'errorReason', 'toastMessage', 'object'].every((key) => key in envelope);
  if (!valid) return { accepted: false, retry: false, said: text };
  const object = envelope.object as Record<string, unknown> | null;
  // Production reads object.reftransactionid after recording success; a null object throws and re-sends.
  const hasRef = object !== null && typeof object === 'object' && 'reftransactionid' in object;
  return { accepted: true, retry: !hasRef, said: text };
}
