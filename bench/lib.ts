// Shared harness for the benchmark, stress and fuzz scripts: fresh databases, the production build run as
// child processes, and small HTTP helpers. Everything talks to loopback only.
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';

export const PARTNER_USER = 'bench-vietqr';
export const PARTNER_PASS = 'bench-partner-password-0123456789';
export const API_KEY = 'bench-orders-key-0123456789abcdef';
export const OTHER_API_KEY = 'bench-other-key-0123456789abcdef';
export const BANK_ACCOUNT = '0123456789';

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(
      `${name} must point at a PostgreSQL server, e.g. postgresql://postgres@127.0.0.1:5432/postgres\n`,
    );
    process.exit(2);
  }
  return value;
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

/** Creates a new, empty database on the server of `serverUrl` and returns its URL and a drop function. */
export async function freshDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Production-mode environment for a service instance under test (no VietQR calls: QR_PROVIDER=local). */
export function serviceEnv(
  databaseUrl: string,
  port: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    // Production requires an https address; nothing here follows the QR image links it is used for.
    PUBLIC_BASE_URL: `https://gateway-${port}.bench.invalid`,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    API_KEYS: `bench:${API_KEY},other:${OTHER_API_KEY}`,
    VIETQR_PARTNER_USERNAME: PARTNER_USER,
    VIETQR_PARTNER_PASSWORD: PARTNER_PASS,
    VIETQR_PARTNER_TOKEN_SECRET: 'bench-token-secret-0123456789abcdef',
    VIETQR_PARTNER_TOKEN_TTL_SECONDS: '3600',
    VIETQR_PARTNER_TOKEN_FAILURES_PER_MINUTE: '10000',
    VIETQR_API_URL: 'http://127.0.0.1:9/unused',
    VIETQR_API_USERNAME: 'bench-merchant',
    VIETQR_API_PASSWORD: 'bench-merchant-password-0123456789',
    VIETQR_BANK_CODE: 'MB',
    VIETQR_BANK_ACCOUNT: BANK_ACCOUNT,
    QR_PROVIDER: 'local',
    SANDBOX_ENABLED: 'false',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    ...extra,
  };
}

export interface ServiceProcess {
  port: number;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  /** Peak resident set size seen by sampling /proc, in bytes. */
  peakRss(): number;
  /** CPU time (user + sys) the process has used so far, in ms. */
  cpuMs(): number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function rssOf(pid: number): number {
  try {
    // /proc/<pid>/statm: size resident shared ... in pages
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8');
    return Number(statm.split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
}

/** user + sys CPU of a process so far, in ms, from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** user + sys CPU so far, in ms, of each PostgreSQL process on this machine (backends, WAL writer, checkpointer). */
export function postgresCpuByPid(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        byPid.set(Number(entry), cpuMsOf(Number(entry)));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return byPid;
}

/** CPU PostgreSQL used between two readings: processes started meanwhile count whole, ended ones are lost. */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  return used;
}

/** Busy CPU time of the whole machine so far (all cores; idle, iowait and steal excluded), in ms, from /proc/stat. */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq] = cpu;
  return ((user + nice + system + irq + softirq) * 1000) / CLOCK_TICKS;
}

// USER_HZ: 100 on every Linux build this runs on (getconf CLK_TCK).
const CLOCK_TICKS = 100;

/** The heap bound the service runs with in production (Dockerfile, npm start). */
export const SERVICE_NODE_ARGS = ['--max-old-space-size=128'];

/** Starts `node dist/src/main.js` and waits until /health/ready answers 200. */
export async function startService(
  env: Record<string, string>,
  timeoutMs = 30_000,
  opts: { quiet?: boolean; nodeArgs?: string[] } = {},
): Promise<ServiceProcess> {
  const port = Number(env.PORT);
  // quiet: the service's log goes to /dev/null, so collecting it costs the load generator nothing.
  const child = spawn(
    process.execPath,
    [...SERVICE_NODE_ARGS, ...(opts.nodeArgs ?? []), 'dist/src/main.js'],
    {
      env,
      stdio: ['ignore', opts.quiet ? 'ignore' : 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(child.pid!))), 100);
  void exited.then(() => clearInterval(sampler));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited during start-up:\n${out}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`service not ready in ${timeoutMs} ms:\n${out}`);
    await sleep(100);
  }
  return {
    port,
    url,
    child,
    exited,
    output: () => out,
    peakRss: () => peak,
    cpuMs: () => cpuMsOf(child.pid!),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function partnerToken(baseUrl: string, prefix = '/vqr'): Promise<string> {
  const res = await fetch(`${baseUrl}${prefix}/api/token_generate`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${PARTNER_USER}:${PARTNER_PASS}`).toString('base64')}` },
  });
  if (!res.ok) throw new Error(`token_generate answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface CreatedPayment {
  id: string;
  code: string;
  amount: number;
  orderId: string;
}

export async function createPayment(
  baseUrl: string,
  orderId: string,
  amount: number,
  apiKey = API_KEY,
): Promise<CreatedPayment> {
  const res = await fetch(`${baseUrl}/api/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ orderId, amount }),
  });
  if (res.status !== 201) throw new Error(`create payment answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { id: string; code: string };
  return { id: body.id, code: body.code, amount, orderId };
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function mapLimit<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

export function callbackBody(opts: {
  reference: string;
  amount: number;
  orderId: string;
  content: string;
}): Record<string, unknown> {
  return {
    transactionid: opts.reference.toLowerCase(),
    transactiontime: Date.now(),
    referencenumber: opts.reference,
    amount: opts.amount,
    content: opts.content,
    bankaccount: BANK_ACCOUNT,
    transType: 'C',
    orderId: opts.orderId,
    sign: '',
    terminalCode: '',
    subTerminalCode: '',
    serviceCode: '',
    urlLink: '',
  };
}
