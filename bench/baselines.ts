// The baselines npm run bench measures in the same run as the service, on the same machine:
// - the echo receiver (echo-receiver.ts): the typical VietQR receiver, which writes nothing;
// - pgbench's built-in TPC-B-like script on the same PostgreSQL: what this machine's database commits;
// - open-loop latency: requests sent at a fixed rate whatever the answers, timed from when each was due (a
//   slow answer cannot hide the requests queued behind it), and beside them the same rate of single-row
//   durable INSERTs through pg, which shows the disk's own fsync stalls.
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { freshDatabase, sleep } from './lib.js';
import type { OpenLoopJob } from './open-loop.js';

const run = promisify(execFile);

export interface EchoReceiver {
  url: string;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startEchoReceiver(): Promise<EchoReceiver> {
  const child = fork('dist/bench/echo-receiver.js', [], { stdio: 'ignore', env: { PORT: '0' } });
  const [message] = (await once(child, 'message')) as [{ port: number; token: string }];
  return {
    url: `http://127.0.0.1:${message.port}`,
    token: message.token,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** pgbench from PATH, else from the server packages' bin directories (Debian keeps it there). */
export function findPgbench(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (existsSync(`${dir}/pgbench`)) return `${dir}/pgbench`;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(`${root}/${v}/bin/pgbench`)) return `${root}/${v}/bin/pgbench`;
  return null;
}

export interface PgbenchFigures {
  tps: number;
  latencyMs: number;
  clients: number;
  scale: number;
}

/** `pgbench -i -s 10` on a database of its own, then the TPC-B-like script with `-c 8 -j 2` for `seconds`. */
export async function runPgbench(serverUrl: string, seconds: number): Promise<PgbenchFigures> {
  const pgbench = findPgbench();
  if (!pgbench) throw new Error('pgbench not found (Debian: postgresql-client or the server package)');
  const db = await freshDatabase(serverUrl, 'vqg_pgbench');
  const scale = 10;
  const clients = 8;
  try {
    await run(pgbench, ['-i', '-q', '-s', String(scale), db.url], { maxBuffer: 1 << 24 });
    await settle(db.url);
    const { stdout } = await run(pgbench, ['-c', String(clients), '-j', '2', '-T', String(seconds), db.url], {
      maxBuffer: 1 << 24,
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
    const latency = /latency average = ([\d.]+) ms/.exec(stdout);
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { tps: Math.round(Number(tps[1])), latencyMs: Number(latency?.[1] ?? 0), clients, scale };
  } finally {
    await db.drop();
  }
}

export interface OpenLoopFigures {
  rate: number;
  sent: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** The load generator's own longest event-loop stall in the window (its GC, or the machine's). */
  generatorStallMs: number;
  /** CPU time the hypervisor took from this machine's cores during the window (/proc/stat's steal). */
  stealMs: number;
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The whole machine's CPU jiffies so far, by kind (/proc/stat's first line: user, nice, system, idle, …). */
function cpuJiffies(): number[] {
  return readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
}

/** Jiffies stolen from this machine by its hypervisor so far (/proc/stat's eighth field), in ms. */
function stolenMs(): number {
  return (cpuJiffies()[7] ?? 0) * 10;
}

/**
 * Sends `rate` operations per second for `seconds`, each timed from when it was due (so a stall counts for
 * every request queued behind it), whatever the answers. Keeps no per-request object beyond its latency:
 * a list of every pending promise made the generator's own scavenges long enough to show in the tail.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  op: (i: number) => Promise<void>,
): Promise<OpenLoopFigures> {
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let answered = 0;
  let errors = 0;
  let pending = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const settled = () => {
    if (--pending === 0 && answered + errors === total) allDone();
  };
  let stall = 0;
  let tick = performance.now();
  const watch = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - tick - 5);
    tick = now;
  }, 5);
  const stealBefore = stolenMs();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending++;
    op(i).then(
      () => {
        latencies[answered++] = performance.now() - due;
        settled();
      },
      () => {
        errors++;
        settled();
      },
    );
  }
  if (pending > 0) await done;
  clearInterval(watch);
  const stealMs = stolenMs() - stealBefore;
  const sorted = latencies.subarray(0, answered).sort();
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    rate,
    sent: total,
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    errors,
    generatorStallMs: round(stall),
    stealMs,
  };
}

/** Runs an open-loop job in a forked generator of its own (open-loop.ts) and returns its figures. */
export async function openLoopApart(job: OpenLoopJob): Promise<OpenLoopFigures> {
  const child = fork('dist/bench/open-loop.js', [], { stdio: 'inherit' });
  child.send(job);
  const [answer] = (await once(child, 'message')) as [{ figures?: OpenLoopFigures; error?: string }];
  await once(child, 'exit');
  if (!answer.figures) throw new Error(`open-loop generator failed: ${answer.error}`);
  return answer.figures;
}

/** The same-rate baseline: one autocommitted (durable) single-row INSERT per tick, through a pg pool. */
export async function insertBaseline(
  databaseUrl: string,
  rate: number,
  seconds: number,
  body: string,
): Promise<OpenLoopFigures> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 32 });
  try {
    await pool.query(
      'CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL DEFAULT now())',
    );
    return await openLoop(rate, seconds, async () => {
      await pool.query('INSERT INTO bench_insert (body) VALUES ($1)', [body]);
    });
  } finally {
    await pool.query('DROP TABLE IF EXISTS bench_insert').catch(() => undefined);
    await pool.end();
  }
}

/** Busy and total jiffies of the whole machine so far (/proc/stat's first line). */
function machineTicks(): { busy: number; total: number } {
  const fields = cpuJiffies();
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/**
 * Lets the machine settle before a measured window: a CHECKPOINT (so the writes of the run before are not
 * flushed inside this one), then waits, up to `maxMs`, for a second in which the cores are at least 85%
 * idle (the service's background work, autovacuum). Returns how busy the last second was.
 */
export async function settle(databaseUrl: string, maxMs = 30_000): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
  const until = Date.now() + maxMs;
  let busy = 1;
  while (Date.now() < until) {
    const a = machineTicks();
    await sleep(1_000);
    const b = machineTicks();
    busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    if (busy <= 0.15) break;
  }
  return Math.round(busy * 100) / 100;
}
