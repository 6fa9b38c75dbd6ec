import { Env, EnvError, EnvReader, optionalStr, str, url } from './env-schema.js';
import { parseOrigins } from './checkout-config.js';
import { parseCidrList, parseTrustProxy } from './network-config.js';
import { loadReconcileConfig, type ReconcileConfig } from './reconcile-config.js';
import {
  generateSecret,
  MIN_PRODUCTION_SECRET_LENGTH,
  parseApiKeys,
  type SecretVariable,
} from './secrets-config.js';
import type {
  HttpConfig,
  DatabaseConfig,
  PartnerConfig,
  VietQrApiConfig,
  SandboxConfig,
  PaymentsConfig,
  WebhooksConfig,
  CheckoutConfig,
  RefundsConfig,
  LogConfig,
} from './config-sections.js';
import { QR_PROVIDERS } from './config-sections.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export class AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly http: HttpConfig;
  readonly database: DatabaseConfig;
  readonly log: LogConfig;
  readonly partner: PartnerConfig;
  readonly vietqr: VietQrApiConfig;
  readonly sandbox: SandboxConfig;
  readonly payments: PaymentsConfig;
  readonly webhooks: WebhooksConfig;
  readonly checkout: CheckoutConfig;
  readonly reconcile: ReconcileConfig;
  readonly refunds: RefundsConfig;
  /** Secrets this process made up because they were missing (never in production). */
  readonly generatedSecrets: Partial<Record<SecretVariable, string>>;

  constructor(values: AppConfigValues) {
    Object.assign(this, values);
  }

  /** The same config, pointed at the embedded database the bootstrap started. */
  withEmbeddedDatabase(url: string): AppConfig {
    return new AppConfig({ ...this, database: { ...this.database, url, embedded: true } });
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}

export type AppConfigValues = Omit<AppConfig, 'withEmbeddedDatabase' | 'isProduction'>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Validates the whole environment once; throws ConfigValidationError naming every bad variable. */
export function loadConfig(env: Env): AppConfig {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', NODE_ENVS, 'development');
  const production = nodeEnv === 'production';
  const generatedSecrets: Partial<Record<SecretVariable, string>> = {};

  // A secret that may be absent in production (a feature stays off), generated outside production.
  const optionalSecret = (name: SecretVariable): string | undefined => {
    const value = optionalStr(env, name);
    if (value !== undefined || production) return value;
    const made = generateSecret(name);
    generatedSecrets[name] = made;
    return made;
  };

  const secret = (name: SecretVariable): string => {
    const value = optionalStr(env, name);
    if (value !== undefined) {
      // Seeded key lists are checked key by key in parseApiKeys.
      const isKeyList = name === 'API_KEYS' || name === 'OPERATOR_KEYS';
      if (production && !isKeyList && value.length < MIN_PRODUCTION_SECRET_LENGTH) {
        r.errors.push(`${name} must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`);
      }
      return value;
    }
    if (production) {
      r.errors.push(`${name} is required in production`);
      return '';
    }
    const made = generateSecret(name);
    generatedSecrets[name] = made;
    return made;
  };

  const port = r.int('PORT', 3000, 1, 65535);
  const databaseUrl = r.url('DATABASE_URL', ['postgres', 'postgresql']);
  if (production && databaseUrl === undefined) {
    r.errors.push('DATABASE_URL is required in production (the embedded database is for development only)');
  }

  const callbackPrefix = r.read(() => {
    const value = str(env, 'VIETQR_CALLBACK_PREFIX', '/vqr', 100);
    if (value !== '/' && !/^(\/[A-Za-z0-9_-]+)*$/.test(value)) {
      throw new EnvError('VIETQR_CALLBACK_PREFIX must look like /vqr (or be / for none)');
    }
    return value;
  });

  const accountName = r.str('VIETQR_ACCOUNT_NAME', 'NGUYEN VAN A', 50);
  const minKeyLength = production ? MIN_PRODUCTION_SECRET_LENGTH : 16;
  const apiKeysRaw = secret('API_KEYS');
  const seedApiKeys = r.read(() => parseApiKeys('API_KEYS', apiKeysRaw, minKeyLength), []);
  // Operators are optional in production (an operator key can be made with the CLI).
  const operatorKeysRaw = production ? optionalStr(env, 'OPERATOR_KEYS') : secret('OPERATOR_KEYS');
  const seedOperatorKeys = r.read(() => parseApiKeys('OPERATOR_KEYS', operatorKeysRaw, minKeyLength), []);
  const seededTwice = seedOperatorKeys.filter((o) => seedApiKeys.some((a) => a.name === o.name));
  if (seededTwice.length > 0) {
    r.errors.push(
      `OPERATOR_KEYS names ${seededTwice.map((o) => o.name).join(', ')} also in API_KEYS (a name has one role)`,
    );
  }

  const config = new AppConfig({
    nodeEnv,
    http: {
      host: r.str('HOST', '0.0.0.0', 255),
      port,
      publicBaseUrl: r.read(() => {
        // QR image links and what VietQR is told to call: in production a real https address, never a guess.
        if (production && optionalStr(env, 'PUBLIC_BASE_URL') === undefined) {
          throw new EnvError('PUBLIC_BASE_URL is required in production (the https URL clients reach us at)');
        }
        return url(
          env,
          'PUBLIC_BASE_URL',
          production ? ['https'] : ['http', 'https'],
          `http://localhost:${port}`,
        )!;
      }, `http://localhost:${port}`),
      bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
      shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 4000, 100, 120_000),
      requestTimeoutMs: r.int('REQUEST_TIMEOUT_MS', 30_000, 0, 600_000),
      trustProxy: r.read(() => parseTrustProxy(str(env, 'TRUST_PROXY', '', 2048)), false),
    },
    database: {
      url: databaseUrl,
      embedded: false,
      dataDir: r.str('DATA_DIR', './.data', 1024),
      poolSize: r.int('DB_POOL_SIZE', 10, 1, 200),
      migrationsRun: r.bool('DB_MIGRATIONS_RUN', true),
      statementTimeoutMs: r.int('DB_STATEMENT_TIMEOUT_MS', 15_000, 100, 600_000),
      preparedStatements: r.bool('DB_PREPARED_STATEMENTS', true),
    },
    log: {
      level: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
      pretty: r.bool('LOG_PRETTY', !production && Boolean(process.stdout.isTTY)),
    },
    partner: {
      username: r.str('VIETQR_PARTNER_USERNAME', 'vietqr', 128),
      password: secret('VIETQR_PARTNER_PASSWORD'),
      tokenSecret: secret('VIETQR_PARTNER_TOKEN_SECRET'),
      tokenTtlSeconds: r.int('VIETQR_PARTNER_TOKEN_TTL_SECONDS', 300, 30, 86_400),
      callbackPrefix: callbackPrefix === '/' ? '' : callbackPrefix,
      tokenFailuresPerMinute: r.int('VIETQR_PARTNER_TOKEN_FAILURES_PER_MINUTE', 10, 1, 10_000),
      allowedIps: r.read(
        () => parseCidrList('VIETQR_PARTNER_ALLOWED_IPS', str(env, 'VIETQR_PARTNER_ALLOWED_IPS', '', 4096)),
        [],
      ),
    },
    vietqr: {
      url: r.url('VIETQR_API_URL', ['http', 'https']),
      username: r.str('VIETQR_API_USERNAME', 'sandbox-merchant', 128),
      password: secret('VIETQR_API_PASSWORD'),
      bankCode: r.str('VIETQR_BANK_CODE', 'MB', 32),
      bankAccount: r.read(() => {
        const value = str(env, 'VIETQR_BANK_ACCOUNT', '0123456789', 19);
        if (!/^[0-9A-Za-z]{4,19}$/.test(value))
          throw new EnvError('VIETQR_BANK_ACCOUNT must be 4-19 letters or digits');
        return value;
      }),
      accountName,
      timeoutMs: r.int('VIETQR_TIMEOUT_MS', 10_000, 100, 120_000),
      qrProvider: r.oneOf('QR_PROVIDER', QR_PROVIDERS, 'vietqr'),
      refundSecretKey: optionalSecret('VIETQR_REFUND_SECRET_KEY'),
    },
    sandbox: {
      enabled: r.bool('SANDBOX_ENABLED', !production),
      partnerUrl: r.url('SANDBOX_PARTNER_URL', ['http', 'https']),
      retrySchedule: r.bool('SANDBOX_RETRY_SCHEDULE', false),
      port: r.int('SANDBOX_PORT', 8089, 1, 65535),
      refundLockMs: r.int('SANDBOX_REFUND_LOCK_MS', 30_000, 10, 600_000),
    },
    payments: {
      defaultExpiresInSeconds: r.int('PAYMENT_DEFAULT_EXPIRES_SECONDS', 900, 60, 86_400),
      sweepIntervalMs: r.int('PAYMENT_SWEEP_INTERVAL_MS', 5_000, 100, 3_600_000),
      idempotencyKeyTtlHours: r.int('IDEMPOTENCY_KEY_TTL_HOURS', 24, 24, 24 * 30),
      creditBatchSize: r.int('CREDIT_BATCH_SIZE', 16, 1, 256),
      creditBatchConcurrency: r.int('CREDIT_BATCH_CONCURRENCY', 2, 1, 64),
      creditPredictionPayments: r.int('CREDIT_PREDICTION_PAYMENTS', 10_000, 0, 1_000_000),
      paymentBatchSize: r.int('PAYMENT_BATCH_SIZE', 16, 1, 256),
      paymentBatchConcurrency: r.int('PAYMENT_BATCH_CONCURRENCY', 2, 1, 64),
      seedApiKeys,
      seedOperatorKeys,
    },
    webhooks: {
      dispatchIntervalMs: r.int('WEBHOOK_DISPATCH_INTERVAL_MS', 500, 50, 60_000),
      timeoutMs: r.int('WEBHOOK_TIMEOUT_MS', 5_000, 100, 60_000),
      maxAgeHours: r.int('WEBHOOK_MAX_AGE_HOURS', 25, 24, 24 * 7),
      allowPrivateTargets: r.bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', !production),
      retryBaseMs: r.int('WEBHOOK_RETRY_BASE_MS', 5_000, 10, 600_000),
    },
    checkout: {
      merchantDisplayName: r.str('MERCHANT_DISPLAY_NAME', accountName, 100),
      frameAncestors: r.read(() => parseOrigins(str(env, 'CHECKOUT_FRAME_ANCESTORS', '', 2048), production)),
      maxStreams: r.int('CHECKOUT_MAX_STREAMS', 2_000, 1, 100_000),
      rateLimitPerMinute: r.int('CHECKOUT_RATE_LIMIT_PER_MINUTE', 60, 1, 100_000),
      pollIntervalMs: r.int('CHECKOUT_POLL_INTERVAL_MS', 1_000, 100, 60_000),
    },
    reconcile: loadReconcileConfig(env, r),
    refunds: {
      workerIntervalMs: r.int('REFUND_WORKER_INTERVAL_MS', 1_000, 20, 600_000),
      lockMs: r.int('REFUND_LOCK_MS', 30_000, 10, 600_000),
      debitMatchWindowMs: r.int('REFUND_DEBIT_MATCH_WINDOW_MS', 86_400_000, 1_000, 30 * 86_400_000),
    },
    generatedSecrets,
  });

  if (production && config.sandbox.enabled) r.errors.push('SANDBOX_ENABLED must be false in production');
  if (production && config.vietqr.url === undefined)
    r.errors.push('VIETQR_API_URL is required in production');
  if (r.errors.length > 0) throw new ConfigValidationError(r.errors);
  return config;
}
