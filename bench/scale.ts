// npm run bench:scale: does a screen cost the same in a shop's first week and in its fifth year? Two
// databases: one holds a first week of data, the other years of it (bulk-loaded with COPY, see
// scale-load.ts). A service runs on each, and each hot endpoint is measured on both back to back, so what
// else the machine is doing weighs on both alike (a credit window right after a CHECKPOINT, with its WAL,
// full-page images and blocks read per credit: scale-io.ts); then every statement the endpoints and the
// background work run is EXPLAINed on the loaded database (scale-plans.ts). Exit 1 when a plan reads a
// large table in full; the growth targets are printed met or not.
//
//   BENCH_DATABASE_URL     PostgreSQL server (fresh databases are made and dropped)     required
//   BENCH_SECONDS          length of each timed run                                     10
//   BENCH_CONNECTIONS      concurrent connections                                       32
//   BENCH_POOL             the service's DB_POOL_SIZE                                   10
//   BENCH_SCALE_PAYMENTS   payments loaded                                              1000000
//   BENCH_SCALE_LEDGER     bank_transaction rows loaded                                 5000000
//   BENCH_KEEP_DB          keep the databases (their URLs are printed), e.g. for EXPLAIN by hand
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import {
  API_KEY,
  BANK_ACCOUNT,
  freePort,
  freshDatabase,
  requireEnv,
  serviceEnv,
  ServiceProcess,
  startService,
} from './lib.js';
import { DataSpec, Layout, layoutOf } from './scale-data.js';
import type { Figures } from './measure.js';
import { measureCreditIo } from './scale-io.js';
import { loadGeneration, LoadReport } from './scale-load.js';
import { explainAll, recordHotStatements } from './scale-plans.js';
import { Measured, reportScale } from './scale-report.js';
import { ONE_TRIP_CREDIT, OPERATOR_KEY, requestsFor, Scenario, scenariosOf } from './scale-requests.js';
import { installRecorder } from './sql-replay.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const POOL = Number(process.env.BENCH_POOL ?? 10);
const PAYMENTS = Number(process.env.BENCH_SCALE_PAYMENTS ?? 1_000_000);
const LEDGER = Number(process.env.BENCH_SCALE_LEDGER ?? 5_000_000);
// Pending payments each database's credits pay, one each (more than the credits of a run on this machine).
const PENDING = Math.max(2000, 1500 * SECONDS);

const say = (line: string) => process.stdout.write(`${line}\n`);

interface Shop {
  url: string;
  drop: () => Promise<void>;
  env: Record<string, string>;
  spec: DataSpec;
  layout: Layout;
  report: LoadReport;
}

/** A migrated database with the API clients seeded, one webhook endpoint, and a generation loaded. */
async function shop(
  server: string,
  size: Omit<DataSpec, 'clientId' | 'endpointId' | 'bankAccount' | 'now' | 'pending'>,
  rebuild: boolean,
): Promise<Shop> {
  const db = await freshDatabase(server, `vqg_scale${size.tag}`);
  try {
    return await prepare(db, size, rebuild);
  } catch (error) {
    if (!process.env.BENCH_KEEP_DB) await db.drop();
    throw error;
  }
}

async function prepare(
  db: { url: string; drop: () => Promise<void> },
  size: Omit<DataSpec, 'clientId' | 'endpointId' | 'bankAccount' | 'now' | 'pending'>,
  rebuild: boolean,
): Promise<Shop> {
  const env = serviceEnv(db.url, await freePort(), {
    OPERATOR_KEYS: `bench-ops:${OPERATOR_KEY}`,
    DB_POOL_SIZE: String(POOL),
    // Background work that would blur the per-endpoint figures (as in npm run bench); the plans still
    // cover its statements. Reconciliation would call a VietQR that is not there.
    PAYMENT_SWEEP_INTERVAL_MS: '3600000',
    RECONCILE_ENABLED: 'false',
  });
  // The first start migrates and seeds the API clients; one webhook endpoint gives deliveries a route.
  const setup = await startService(env, 60_000, { quiet: true });
  const endpoint = await fetch(`${setup.url}/api/v1/webhook-endpoints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    // Subscribed to an event no credit causes: the bench's own credits make no deliveries.
    body: JSON.stringify({ url: 'http://127.0.0.1:9/bench-hook', events: ['refund.failed'] }),
  });
  await setup.stop();
  if (endpoint.status !== 201) throw new Error(`webhook endpoint answered ${endpoint.status}`);
  const endpointId = ((await endpoint.json()) as { id: string }).id;
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const client = await admin.query<{ id: string }>(`SELECT id FROM api_client WHERE name = 'bench'`);
  await admin.end();
  const spec: DataSpec = {
    ...size,
    clientId: client.rows[0].id,
    endpointId,
    bankAccount: BANK_ACCOUNT,
    now: Date.now(),
    pending: PENDING,
  };
  const layout = layoutOf(spec);
  const report = await loadGeneration(db.url, spec, layout, {
    rebuild,
    log: rebuild ? say : () => undefined,
  });
  return { ...db, env, spec, layout, report };
}

async function measureSide(s: Scenario, service: ServiceProcess, side: string, databaseUrl: string) {
  if (s.kind !== 'credit')
    return { name: s.name, kind: s.kind, figures: printed(s, side, await s.run(service.url)) };
  const { result: f, io } = await measureCreditIo(
    databaseUrl,
    () => s.run(service.url),
    (f) => f.total,
  );
  printed(s, side, f);
  say(
    `  ${''.padEnd(10)} per credit: ${io.walBytes} bytes of WAL (${io.fullPageImages} full-page images), ${io.blocksRead} blocks read, ${io.blocksHit} hit`,
  );
  return { name: s.name, kind: s.kind, figures: f, io };
}

function printed(s: Scenario, side: string, f: Figures): Figures {
  const bad = f.errors + f.non2xx > 0 ? `  ! ${f.errors} errors, ${f.non2xx} non-2xx` : '';
  say(
    `  ${side.padEnd(10)} ${s.name}: ${f.requestsPerSecond} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms${bad}`,
  );
  return f;
}

async function main(): Promise<number> {
  const server = requireEnv('BENCH_DATABASE_URL');
  installRecorder();
  const started = Date.now();
  const shops: Shop[] = [];
  try {
    say('bench:scale: a first week of a shop (2 000 payments, 10 000 ledger rows, so every page is full)');
    const week = await shop(server, { tag: 1, historical: 2000, ledger: 10_000, spanDays: 7 }, false);
    shops.push(week);
    say(`bench:scale: years of a shop: ${PAYMENTS} payments and ${LEDGER} ledger rows`);
    const loadStarted = Date.now();
    const years = await shop(
      server,
      { tag: 2, historical: PAYMENTS - PENDING, ledger: LEDGER, spanDays: 730 },
      true,
    );
    shops.push(years);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const { rows, rebuilt } = years.report;
    say(
      `bench:scale: loaded in ${loadSeconds.toFixed(0)} s: ${Object.entries(rows)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
    if (rebuilt) {
      say(
        `  schema as migrated: ${rebuilt.constraints} keys and foreign keys and ${rebuilt.indexes} indexes rebuilt, catalog identical`,
      );
    }

    say('bench:scale: measuring each endpoint on both, back to back');
    const empty: Measured[] = [];
    const loaded: Measured[] = [];
    const a = await startService(week.env, 120_000, { quiet: true });
    const b = await startService(years.env, 120_000, { quiet: true });
    try {
      const onWeek = await scenariosOf(a.url, week.spec, week.layout);
      const onYears = await scenariosOf(b.url, years.spec, years.layout);
      for (let i = 0; i < onWeek.length; i++) {
        // Alternating which goes first, so a trend in the machine's other load favours neither.
        if (i % 2 === 0) {
          empty.push(await measureSide(onWeek[i], a, 'first week', week.url));
          loaded.push(await measureSide(onYears[i], b, 'loaded', years.url));
        } else {
          loaded.push(await measureSide(onYears[i], b, 'loaded', years.url));
          empty.push(await measureSide(onWeek[i], a, 'first week', week.url));
        }
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }

    say('bench:scale: recording and EXPLAINing the hot statements on the loaded database');
    const statements = await recordHotStatements(years.env, requestsFor(years.spec, years.layout), 2000);
    if (!statements.some((s) => s.label === ONE_TRIP_CREDIT && /expect_unchanged/.test(s.text)))
      throw new Error('the credit of a payment made through the API did not go in one round trip');
    const checks = await explainAll(years.url, statements);
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    return reportScale({
      machine,
      connections: CONNECTIONS,
      seconds: SECONDS,
      sizes: { payments: PAYMENTS, ledger: LEDGER, pendingPerDatabase: PENDING },
      load: { seconds: loadSeconds, steps: years.report.seconds, rows },
      empty,
      loaded,
      checks,
      totalSeconds: (Date.now() - started) / 1000,
    });
  } finally {
    for (const s of shops) {
      if (process.env.BENCH_KEEP_DB) say(`bench:scale: kept ${s.url}`);
      else await s.drop();
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
