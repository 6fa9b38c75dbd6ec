// npm run openapi        writes openapi.json from the code's decorators
// npm run openapi:check  fails if openapi.json is stale or not valid OpenAPI 3
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { ModulesContainer, NestFactory, RouterModule, type Routes } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { validate } from '@readme/openapi-parser';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/app-config.js';
import { buildOpenApiDocument } from '../src/swagger.js';

const FILE = 'openapi.json';

/**
 * Preview mode instantiates nothing, so RouterModule never puts its path prefixes (the VietQR callback prefix)
 * on the modules it mounts: run its constructor by hand on each registration's routes, as the real start does.
 */
function applyRouterModules(app: NestFastifyApplication): void {
  const container = app.get(ModulesContainer);
  for (const moduleRef of container.values()) {
    if (moduleRef.metatype !== RouterModule) continue;
    for (const [token, wrapper] of moduleRef.providers) {
      if (typeof token === 'symbol' && token.description === 'ROUTES') {
        new RouterModule(container, wrapper.instance as Routes);
      }
    }
  }
}

/** The document as the running service publishes it, built without a database (preview mode). */
export async function currentOpenApiJson(): Promise<string> {
  // A fixed, production-shaped config, so the document does not depend on the machine's environment.
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused',
    SANDBOX_ENABLED: 'true',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    new FastifyAdapter(),
    {
      preview: true,
      logger: false,
    },
  );
  applyRouterModules(app);
  const document = buildOpenApiDocument(app);
  await app.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}

async function main(mode: string | undefined): Promise<number> {
  const json = await currentOpenApiJson();
  const result = await validate(JSON.parse(json));
  if (!result.valid) {
    process.stderr.write(`generated document is not valid OpenAPI: ${JSON.stringify(result.errors)}\n`);
    return 1;
  }
  if (mode === 'write') {
    writeFileSync(FILE, json);
    process.stdout.write(`wrote ${FILE}\n`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(FILE, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (committed !== json) {
    process.stderr.write(`${FILE} is stale: run "npm run build && npm run openapi" and commit it\n`);
    return 1;
  }
  process.stdout.write(`${FILE} is up to date and valid OpenAPI ${JSON.parse(json).openapi}\n`);
  return 0;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
