import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { createApp } from './app.factory.js';
import { AppConfig, ConfigValidationError, loadConfig } from './config/app-config.js';
import { loadDotEnv } from './config/dotenv.js';
import { persistGeneratedSecrets, withPersistedSecrets } from './config/generated-secrets.js';
import { DataDirLockedError } from './database/data-dir-lock.js';
import { EmbeddedDatabase, startEmbeddedDatabase } from './database/embedded-database.js';

function readConfig(): AppConfig {
  loadDotEnv();
  try {
    const env = process.env.NODE_ENV === 'production' ? process.env : withPersistedSecrets(process.env);
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function announceGeneratedSecrets(config: AppConfig): void {
  const names = Object.keys(config.generatedSecrets) as Array<keyof AppConfig['generatedSecrets']>;
  if (names.length === 0) return;
  const path = persistGeneratedSecrets(config.database.dataDir, config.generatedSecrets);
  const lines = names.map((name) => `  ${name}=${config.generatedSecrets[name]}`);
  const apiKey = config.generatedSecrets.API_KEYS?.split(':')[1];
  if (apiKey) lines.push(`\nSwagger UI: Authorize > api-key (X-API-Key) takes the key alone: ${apiKey}`);
  // Printed once, on the run that made them; later runs read them back from the file.
  process.stdout.write(
    `\nGenerated development secrets (kept in ${path}; set them in the environment to choose your own):\n` +
      `${lines.join('\n')}\n\n`,
  );
}

/** Waits until pino has written what it was given (a transport writes from a worker thread). */
function flushLogs(): Promise<void> {
  return new Promise((resolve) => {
    const root = PinoLogger.root;
    if (!root) return resolve();
    const timer = setTimeout(resolve, 500);
    root.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function bootstrap(): Promise<void> {
  let config = readConfig();
  const logger = new Logger('Bootstrap');
  let embedded: EmbeddedDatabase | undefined;
  if (!config.database.url) {
    try {
      embedded = await startEmbeddedDatabase(config.database.dataDir, config.database.poolSize);
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    if (embedded.takenOverFrom !== undefined) {
      logger.warn(
        `Took over the lock of ${embedded.dataDir} left by PID ${embedded.takenOverFrom}, which is gone`,
      );
    }
    config = config.withEmbeddedDatabase(embedded.url);
  }

  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (error) {
    logger.error(error);
    await embedded?.close();
    process.exit(1);
  }

  if (embedded) {
    logger.warn(
      `DATABASE_URL is not set: using the embedded PostgreSQL (PGlite) in ${embedded.dataDir}. ` +
        'For development only; set DATABASE_URL for anything else.',
    );
  }
  announceGeneratedSecrets(config);
  logger.log(`Listening on ${config.http.publicBaseUrl} (API docs at ${config.http.publicBaseUrl}/docs)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining HTTP and closing the database`);
    const deadline = setTimeout(() => {
      logger.error('Shutdown took too long; exiting');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    deadline.unref();
    try {
      await app.close();
      await embedded?.close();
      logger.log(`Stopped (${signal})`);
      await flushLogs();
      process.exit(0);
    } catch (error) {
      logger.error(error);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void bootstrap();
