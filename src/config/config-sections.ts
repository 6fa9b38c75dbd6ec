import type { TrustProxy } from './network-config.js';
// The typed sections of AppConfig, one per area; loadConfig (app-config.ts) fills them from the environment.

export const QR_PROVIDERS = ['vietqr', 'local'] as const;
export type QrProvider = (typeof QR_PROVIDERS)[number];

export interface HttpConfig {
  host: string;
  port: number;
  /** Base URL clients use to reach us (QR image links, emulator callbacks). */
  publicBaseUrl: string;
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** Longest time a request (its body included) may take to arrive; 0 = no limit. */
  requestTimeoutMs: number;
  /** Which hops may set X-Forwarded-For (request.ip is the client behind them); false = none. */
  trustProxy: TrustProxy;
}

export interface DatabaseConfig {
  /** Undefined: the embedded PGlite database is started by the bootstrap. */
  url: string | undefined;
  /** True when url points at the embedded database the bootstrap started. */
  embedded: boolean;
  dataDir: string;
  poolSize: number;
  migrationsRun: boolean;
  statementTimeoutMs: number;
  /** Prepare the hot statements by name (off behind a pooler that does not keep them per client). */
  preparedStatements: boolean;
}

export interface PartnerConfig {
  username: string;
  password: string;
  tokenSecret: string;
  tokenTtlSeconds: number;
  callbackPrefix: string;
  /** Failed Basic attempts from one address per minute before 429. */
  tokenFailuresPerMinute: number;
  /** CIDRs allowed on both partner endpoints; empty = any address. */
  allowedIps: string[];
}

export interface VietQrApiConfig {
  /** Undefined outside production: the client points at our own emulator. */
  url: string | undefined;
  username: string;
  password: string;
  bankCode: string;
  bankAccount: string;
  accountName: string;
  timeoutMs: number;
  qrProvider: QrProvider;
  /** VietQR's refund secretKey; unset: refunds are recorded by hand (never generated in production). */
  refundSecretKey: string | undefined;
}

export interface SandboxConfig {
  /** Mount the VietQR emulator at /sandbox/vqr (never in production). */
  enabled: boolean;
  /** Where the emulator delivers callbacks: the partner base URL incl. prefix. Default: ourselves. */
  partnerUrl: string | undefined;
  /** Reproduce production's retry schedule instead of the sandbox's single attempt. */
  retrySchedule: boolean;
  /** Port of the emulator when it runs alone (`npm run sandbox`). */
  port: number;
  /** The emulated VietQR's lock on a transaction's refunds after each refund request (E158). */
  refundLockMs: number;
}

export interface PaymentsConfig {
  defaultExpiresInSeconds: number;
  sweepIntervalMs: number;
  idempotencyKeyTtlHours: number;
  /** Most callbacks' credits recorded in one database transaction (1: each alone). */
  creditBatchSize: number;
  /** Batches of credits in flight at once. */
  creditBatchConcurrency: number;
  /**
   * Payments this instance remembers as it created them, so that a lone credit for one is decided before
   * the database answers and sent in one round trip (0: every credit takes two).
   */
  creditPredictionPayments: number;
  /** Most new payments' writes (their row; their QR) in one database transaction (1: each alone). */
  paymentBatchSize: number;
  /** Batches of each of those two writes in flight at once. */
  paymentBatchConcurrency: number;
  /** name -> plain key, seeded at start (development and tests): order systems (API_KEYS). */
  seedApiKeys: Array<{ name: string; key: string }>;
  /** The same for operators (OPERATOR_KEYS): the review queue, any client's payment. */
  seedOperatorKeys: Array<{ name: string; key: string }>;
}

export interface WebhooksConfig {
  dispatchIntervalMs: number;
  timeoutMs: number;
  maxAgeHours: number;
  allowPrivateTargets: boolean;
  /** Scales the retry schedule: the first retry after about this long (tests shorten it). */
  retryBaseMs: number;
}

export interface CheckoutConfig {
  /** Shown to the payer on the checkout page (default: the receiving account's name). */
  merchantDisplayName: string;
  /** Origins allowed to frame the checkout page; empty = framing refused. */
  frameAncestors: string[];
  /** Open live-status streams (server-sent events) per instance; beyond it pages poll. */
  maxStreams: number;
  /** Requests per address and minute to each checkout route (page, status, events, QR, cancel). */
  rateLimitPerMinute: number;
  /** How often an instance re-reads the payments its open checkout pages watch. */
  pollIntervalMs: number;
}

export interface RefundsConfig {
  /** How often the refund worker looks for due work. */
  workerIntervalMs: number;
  /**
   * VietQR's lock on a transaction's refunds (E158, 30 s): a refused call is retried after it, and a call
   * whose answer was lost is settled from check-order only once it has passed.
   */
  lockMs: number;
  /** How far apart a refund and its debit callback may be to be linked by amount and account. */
  debitMatchWindowMs: number;
}

export interface LogConfig {
  level: string;
  pretty: boolean;
}
