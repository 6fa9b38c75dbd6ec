import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MIGRATIONS } from '../../src/database/migrations.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';
import { waitForHttp } from '../support/spawn-service.js';
import { freePort } from '../support/test-app.js';

const ROOT = process.cwd();
const SECRET = 'production-layout-secret-0123456789abcdef';

/** The final stage's `COPY --from=build <src> <dest>` lines and its CMD, read from the Dockerfile itself. */
function runtimeStage(): { copies: Array<{ from: string; to: string }>; cmd: string[]; workdir: string } {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const copies = [...stage.matchAll(/^COPY --from=build (?:--chown=\S+ )?(\S+) (\S+)$/gm)].map((m) => ({
    from: m[1],
    to: m[2],
  }));
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(stage)![1]) as string[];
  const workdir = /^WORKDIR (\S+)$/m.exec(stage)![1];
  return { copies, cmd, workdir };
}

/**
 * The image without Docker: the build stage is this checkout (already built by `npm test`) with its
 * dependencies pruned to production ones as the Dockerfile prunes them; the runtime directory gets exactly
 * what the final stage copies, nothing else.
 */
function buildProductionLayout(): string {
  const base = mkdtempSync(join(tmpdir(), 'vqg-image-'));
  const build = join(base, 'build');
  const runtime = join(base, 'runtime');
  mkdirSync(build);
  mkdirSync(runtime);
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(ROOT, file), join(build, file));
  // Hard links: a copy of node_modules without copying its bytes; prune unlinks, never edits, files.
  execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(build, 'node_modules')]);
  execFileSync('npm', ['prune', '--omit=dev', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], {
    cwd: build,
    stdio: 'ignore',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const { copies, workdir } = runtimeStage();
  for (const { from, to } of copies) {
    const relative = from.replace(new RegExp(`^${workdir}/?`), '');
    if (relative.startsWith('node_modules')) {
      execFileSync('cp', ['-al', join(build, relative), resolve(runtime, to)]);
    } else {
      cpSync(join(ROOT, relative), resolve(runtime, to), { recursive: true, verbatimSymlinks: true });
    }
  }
  return runtime;
}

describe('The production image layout (built as the Dockerfile builds it, without Docker)', () => {
  let runtime: string;
  let db: PrivateDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    runtime = buildProductionLayout();
    db = await createPrivateDatabase();
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      NODE_OPTIONS: '--max-old-space-size=128',
      DATABASE_URL: db.url,
    };
  }, 180_000);

  // Tens of thousands of links to remove: slow on a busy disk.
  afterAll(async () => {
    await db?.drop();
    if (runtime) await rm(join(runtime, '..'), { recursive: true, force: true });
  }, 180_000);

  // Asynchronous on purpose: on the embedded test database PGlite runs in this process, and a blocking
  // spawnSync would keep it from answering the child it waits for.
  const npm = async (...args: string[]) => {
    const child = spawn('npm', ['run', '--silent', ...args], { cwd: runtime, env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [status] = (await once(child, 'close')) as [number | null];
    return { stdout, stderr, status };
  };

  it('has no dev dependency and no TypeScript source', () => {
    expect(() => readFileSync(join(runtime, 'node_modules', 'jest', 'package.json'))).toThrow();
    expect(() => readFileSync(join(runtime, 'src', 'main.ts'))).toThrow();
  });

  it('starts with the image CMD, applies the migrations and stops cleanly', async () => {
    const port = await freePort();
    const { cmd } = runtimeStage();
    const child = spawn(cmd[0] === 'node' ? process.execPath : cmd[0], cmd.slice(1), {
      cwd: runtime,
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        PUBLIC_BASE_URL: 'https://pay.example.test',
        SANDBOX_ENABLED: 'false',
        VIETQR_API_URL: 'https://api.vietqr.example.test/vqr',
        VIETQR_PARTNER_PASSWORD: `${SECRET}-partner`,
        VIETQR_PARTNER_TOKEN_SECRET: `${SECRET}-token`,
        VIETQR_API_PASSWORD: `${SECRET}-api`,
        API_KEYS: `shop:${SECRET}-shop`,
        OPERATOR_KEYS: `ops:${SECRET}-ops`,
      },
      stdio: 'ignore',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 60_000);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 90_000);

  it('runs `npm run migration:show` and lists every migration as applied', async () => {
    const result = await npm('migration:show');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const migration of MIGRATIONS)
      expect(result.stdout).toMatch(new RegExp(`\\[X\\] \\d+ ${migration.name}`));
    const applied = result.stdout.split('\n').filter((line) => line.includes('[X]'));
    expect(applied).toHaveLength(MIGRATIONS.length);
  }, 60_000);

  it('runs `npm run cli -- api-keys create|list`', async () => {
    const created = await npm('cli', '--', 'api-keys', 'create', 'shop-two');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('API key for "shop-two"');
    const listed = await npm('cli', '--', 'api-keys', 'list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('shop-two');
  }, 60_000);
});
