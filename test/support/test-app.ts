import { createServer } from 'node:net';
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModule, type TestingModuleBuilder } from '@nestjs/testing';
import { createApp } from '../../src/app.factory.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { CoreModule } from '../../src/config/core.module.js';
import type { Env } from '../../src/config/env-schema.js';
import { DatabaseModule } from '../../src/database/database.module.js';

// Two order systems, so tests can show one cannot see the other's payments.
export const TEST_API_KEY = 'test-orders-key-0123456789abcdef';
export const OTHER_API_KEY = 'other-orders-key-0123456789abcdef';
/** An operator (OPERATOR_KEYS): the review queue, any client's payment. */
export const TEST_OPERATOR_KEY = 'test-operator-key-0123456789abcdef';
export const PARTNER_USERNAME = 'vietqr-partner';
export const PARTNER_PASSWORD = 'partner-password-for-tests-0123456';

export function testDatabaseUrl(): string {
  const url = process.env.VQG_TEST_DATABASE_URL;
  if (!url) throw new Error('VQG_TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

export function testEnv(overrides: Env = {}): Env {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_PRETTY: 'false',
    DATABASE_URL: testDatabaseUrl(),
    DB_POOL_SIZE: '4',
    API_KEYS: `orders:${TEST_API_KEY},other:${OTHER_API_KEY}`,
    OPERATOR_KEYS: `ops:${TEST_OPERATOR_KEY}`,
    VIETQR_PARTNER_USERNAME: PARTNER_USERNAME,
    VIETQR_PARTNER_PASSWORD: PARTNER_PASSWORD,
    VIETQR_PARTNER_TOKEN_SECRET: 'partner-token-secret-for-tests-0123456789',
    VIETQR_API_USERNAME: 'sandbox-merchant',
    VIETQR_API_PASSWORD: 'sandbox-merchant-password-0123456789',
    // Tests share one database: only those about scheduled reconciliation turn it on (on a private one).
    RECONCILE_ENABLED: 'false',
    ...overrides,
  };
}

export function testConfig(overrides: Env = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Base URL of the running app, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/** The whole application listening on a loopback port, as main.ts runs it. */
export async function startTestApp(overrides: Env = {}): Promise<TestApp> {
  const port = overrides.PORT ? Number(overrides.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = testConfig({ PORT: String(port), PUBLIC_BASE_URL: url, ...overrides });
  const app = await createApp(config);
  await app.listen({ port, host: '127.0.0.1' });
  return { app, config, url, close: () => app.close() };
}

/**
 * A medium-size test: the given modules with their real repositories on the test database. `replace` may
 * swap a module for a test double (overrideModule), e.g. the QR issuer's.
 */
export async function createMediumModule(
  imports: Array<Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference>,
  overrides: Env = {},
  replace: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<TestingModule> {
  const config = testConfig(overrides);
  const moduleRef = await replace(
    Test.createTestingModule({
      imports: [CoreModule.register(config), DatabaseModule.register(config), ...imports],
    }),
  ).compile();
  await moduleRef.init();
  return moduleRef;
}
