import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigValidationError, loadConfig } from './config/app-config.js';
import { loadDotEnv } from './config/dotenv.js';
import { withPersistedSecrets } from './config/generated-secrets.js';
import { createSandboxApp } from './sandbox-app.js';

// `npm run sandbox`: the VietQR emulator alone on SANDBOX_PORT. It reads the same environment (and the same
// generated development secrets) as the service, so the two agree on credentials without configuration.
async function bootstrap(): Promise<void> {
  loadDotEnv();
  if (process.env.NODE_ENV === 'production') {
    process.stderr.write('The VietQR emulator does not run in production\n');
    process.exit(1);
  }
  let config;
  try {
    config = loadConfig({ ...withPersistedSecrets(process.env), DATABASE_URL: undefined });
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new Logger('Sandbox');
  const app = await createSandboxApp(config);
  app.enableShutdownHooks();
  await app.listen({ port: config.sandbox.port, host: config.http.host });
  const base = `http://localhost:${config.sandbox.port}/sandbox/vqr`;
  logger.log(`VietQR emulator listening: set VIETQR_API_URL=${base} on the service (docs at /docs)`);
  if (Object.keys(config.generatedSecrets).length > 0) {
    logger.warn(
      'Some credentials were generated for this run only: start the service once first (it keeps them in ' +
        'DATA_DIR), or set VIETQR_API_PASSWORD and VIETQR_PARTNER_PASSWORD in both environments.',
    );
  }
}

void bootstrap();
