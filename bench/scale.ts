// npm run bench:scale: does a screen cost the same in a shop's first week and in its fifth year? One run
// measures each hot endpoint on a database holding a first week of data, bulk-loads years of it (COPY, see
// scale-load.ts), measures again, and EXPLAINs every statement the endpoints and the background work run.
// Fails (exit 1) when a plan reads a large table sequentially; the growth targets are printed met or not.
//
//   BENCH_DATABASE_URL     PostgreSQL server (a fresh database is made and dropped)     required
//   BENCH_SECONDS          length of each timed run                                     10
//   BENCH_CONNECTIONS      concurrent connections                                       32
//   BENCH_POOL             the service's DB_POOL_SIZE                                   10
//   BENCH_SCALE_PAYMENTS   payments loaded                                              1000000
//   BENCH_SCALE_LEDGER     bank_transaction rows loaded                                 5000000
//   BENCH_KEEP_DB          keep the database (its URL is printed), e.g. for EXPLAIN by hand
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import { encodeCursor } from '../src/common/http/cursor.js';
import {
  API_KEY,
  BANK_ACCOUNT,
  callbackBody,
  freePort,
  freshDatabase,
  partnerToken,
  requireEnv,
  serviceEnv,
  startService,
} from './lib.js';
import { Figures, load } from './measure.js';
import { DataSpec, Layout, layoutOf, paymentOf, samplePayments } from './scale-data.js';
import { loadGeneration } from './scale-load.js';
import { explainAll, recordHotStatements } from './scale-plans.js';
import { Measured, reportScale } from './scale-report.js';
import { installRecorder } from './sql-replay.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const POOL = Number(process.env.BENCH_POOL ?? 10);
const PAYMENTS = Number(process.env.BENCH_SCALE_PAYMENTS ?? 1_000_000);
const LEDGER = Number(process.env.BENCH_SCALE_LEDGER ?? 5_000_000);
const OPERATOR_KEY = 'bench-operator-key-0123456789abcdef';
const SYNC_PATH = '/vqr/bank/api/transaction-sync';
// Pending payments each phase's credits pay, one each (more than the credits of a run on this machine).
const PENDING = Math.max(2000, 1500 * SECONDS);

const say = (line: string) => process.stdout.write(`${line}\n`);
let seq = 0;
const reference = () => `FTS${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

interface Scenario {
  name: string;
  kind: Measured['kind'];
  run: (base: string) => Promise<Figures>;
}

async function getJson(url: string, key: string): Promise<{ data: unknown[]; nextCursor: string | null }> {
  const res = await fetch(url, { headers: { 'x-api-key': key } });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { data: unknown[]; nextCursor: string | null };
}

const creditBody = (p: { code: string; amount: number }, ref: string) =>
  JSON.stringify(
    callbackBody({ reference: ref, amount: p.amount, orderId: p.code, content: `${p.code} thanh toan` }),
  );

/** The measured requests of one phase, over the data of its generation. */
async function scenariosOf(base: string, spec: DataSpec, layout: Layout): Promise<Scenario[]> {
  const token = await partnerToken(base);
  let next = 0;
  const credit = () =>
    creditBody(paymentOf(spec, layout, spec.historical + (next++ % spec.pending)), reference());
  // A deep page: from the middle of the list, the page after it, by the cursor the API gave out.
  const middle = paymentOf(spec, layout, Math.floor(spec.historical / 2));
  const jump = await getJson(`${base}/api/v1/payments?limit=20&cursor=${encodeCursor(middle.id)}`, API_KEY);
  const deep = `/api/v1/payments?limit=20&cursor=${jump.nextCursor}`;
  const ids = samplePayments(spec, layout, 2000, (p) => p.status === 'PAID' && p.links.length === 1).map(
    (p) => p.id,
  );
  let r = 0;
  const get =
    (path: string | (() => string), key = API_KEY) =>
    (url: string) =>
      load({
        url,
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
        headers: { 'x-api-key': key },
        path: typeof path === 'string' ? () => path : path,
      });
  const pages = {
    first: '/api/v1/payments?limit=20',
    review: '/api/v1/transactions?status=unmatched&limit=20',
    deliveries: '/api/v1/webhook-deliveries?limit=20',
  };
  for (const [path, key] of [
    [pages.first, API_KEY],
    [deep, API_KEY],
    [pages.review, OPERATOR_KEY],
    [pages.deliveries, API_KEY],
  ]) {
    const page = await getJson(`${base}${path}`, key);
    if (page.data.length < 20) throw new Error(`${path} has ${page.data.length} rows, not a full page`);
  }
  return [
    {
      name: '(a) transaction-sync, new credit paying a pending payment',
      kind: 'credit',
      run: (url) =>
        load({
          url: `${url}${SYNC_PATH}`,
          connections: CONNECTIONS,
          durationSeconds: SECONDS,
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: credit,
        }),
    },
    { name: 'GET /api/v1/payments?limit=20 (first page)', kind: 'read', run: get(pages.first) },
    { name: 'GET /api/v1/payments (deep cursor page)', kind: 'read', run: get(deep) },
    {
      name: 'GET /api/v1/payments/:id',
      kind: 'read',
      run: get(() => `/api/v1/payments/${ids[r++ % ids.length]}`),
    },
    {
      name: 'GET /api/v1/transactions?status=unmatched (review queue)',
      kind: 'read',
      run: get(pages.review, OPERATOR_KEY),
    },
    { name: 'GET /api/v1/webhook-deliveries (delivery log)', kind: 'read', run: get(pages.deliveries) },
  ];
}

async function measure(env: Record<string, string>, spec: DataSpec, layout: Layout): Promise<Measured[]> {
  const service = await startService(env, 120_000, { quiet: true });
  try {
    const figures: Measured[] = [];
    for (const s of await scenariosOf(service.url, spec, layout)) {
      const f = await s.run(service.url);
      figures.push({ name: s.name, kind: s.kind, figures: f });
      const bad = f.errors + f.non2xx > 0 ? `  ! ${f.errors} errors, ${f.non2xx} non-2xx` : '';
      say(`  ${s.name}: ${f.requestsPerSecond} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms${bad}`);
    }
    return figures;
  } finally {
    await service.stop();
  }
}

async function main(): Promise<number> {
  const server = requireEnv('BENCH_DATABASE_URL');
  installRecorder();
  const db = await freshDatabase(server, 'vqg_scale');
  const started = Date.now();
  try {
    const env = serviceEnv(db.url, await freePort(), {
      OPERATOR_KEYS: `bench-ops:${OPERATOR_KEY}`,
      DB_POOL_SIZE: String(POOL),
      // Background work that would blur the per-endpoint figures (as in npm run bench); the plans below
      // still cover its statements. Reconciliation would call a VietQR that is not there.
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
    if (endpoint.status !== 201) throw new Error(`webhook endpoint answered ${endpoint.status}`);
    const endpointId = ((await endpoint.json()) as { id: string }).id;
    await setup.stop();
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const clientId = (await admin.query<{ id: string }>(`SELECT id FROM api_client WHERE name = 'bench'`))
      .rows[0].id;
    await admin.end();

    const base = { clientId, endpointId, bankAccount: BANK_ACCOUNT, now: Date.now(), pending: PENDING };
    // "Empty": a first week of a small shop, so every page is a full page.
    const week: DataSpec = { ...base, tag: 1, historical: 2000, ledger: 10_000, spanDays: 7 };
    const weekLayout = layoutOf(week);
    say('bench:scale: a first week of data');
    await loadGeneration(db.url, week, weekLayout, { rebuild: false, log: () => undefined });
    say('bench:scale: measuring on the first week');
    const empty = await measure(env, week, weekLayout);

    const years: DataSpec = {
      ...base,
      tag: 2,
      historical: PAYMENTS - PENDING,
      ledger: LEDGER,
      spanDays: 730,
      now: Date.now(),
    };
    const yearsLayout = layoutOf(years);
    say(`bench:scale: loading ${PAYMENTS} payments and ${LEDGER} ledger rows`);
    const loadStarted = Date.now();
    const report = await loadGeneration(db.url, years, yearsLayout, { rebuild: true, log: say });
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    say(
      `bench:scale: loaded in ${loadSeconds.toFixed(0)} s: ${Object.entries(report.rows)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
    if (report.rebuilt)
      say(
        `  schema as migrated: ${report.rebuilt.constraints} keys and foreign keys, ${report.rebuilt.indexes} indexes rebuilt, catalog identical`,
      );
    say('bench:scale: measuring on the loaded database');
    const loaded = await measure({ ...env, PORT: String(await freePort()) }, years, yearsLayout);

    say('bench:scale: recording and EXPLAINing the hot statements');
    const checks = await explainAll(
      db.url,
      await recordHotStatements(env, requestsFor(years, yearsLayout), 2000),
    );
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    return reportScale({
      machine,
      connections: CONNECTIONS,
      seconds: SECONDS,
      sizes: { payments: PAYMENTS, ledger: LEDGER, pendingPerPhase: PENDING },
      load: { seconds: loadSeconds, steps: report.seconds, rows: report.rows },
      empty,
      loaded,
      checks,
      totalSeconds: (Date.now() - started) / 1000,
    });
  } finally {
    if (process.env.BENCH_KEEP_DB) say(`bench:scale: kept ${db.url}`);
    else await db.drop();
  }
}

/** What the in-process app serves while recording: each measured request, a duplicate credit too. */
function requestsFor(spec: DataSpec, layout: Layout) {
  let token: string | undefined;
  let last = spec.historical + spec.pending;
  let lastBody = '';
  const sync = async (base: string, body: string) => {
    token ??= await partnerToken(base);
    const res = await fetch(`${base}${SYNC_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    if (res.status !== 200) throw new Error(`transaction-sync answered ${res.status}`);
  };
  const page =
    (path: () => string, key = API_KEY) =>
    async (base: string) =>
      void (await getJson(`${base}${path()}`, key));
  const middle = paymentOf(spec, layout, Math.floor(spec.historical / 2));
  const paid = samplePayments(spec, layout, 1, (p) => p.status === 'PAID' && p.links.length === 1)[0];
  return [
    // From the end of the pending payments: the measured credits paid from the start.
    {
      label: 'credit',
      send: (base: string) =>
        sync(base, (lastBody = creditBody(paymentOf(spec, layout, --last), reference()))),
    },
    { label: 'duplicate credit', send: (base: string) => sync(base, lastBody) },
    { label: 'payments first page', send: page(() => '/api/v1/payments?limit=20') },
    {
      label: 'payments cursor page',
      send: page(() => `/api/v1/payments?limit=20&cursor=${encodeCursor(middle.id)}`),
    },
    {
      label: 'get payment',
      send: async (base: string) =>
        void (
          await fetch(`${base}/api/v1/payments/${paid.id}`, { headers: { 'x-api-key': API_KEY } })
        ).arrayBuffer(),
    },
    {
      label: 'review queue',
      send: page(() => '/api/v1/transactions?status=unmatched&limit=20', OPERATOR_KEY),
    },
    {
      label: 'review queue (default statuses)',
      send: page(() => '/api/v1/transactions?limit=20', OPERATOR_KEY),
    },
    { label: 'delivery log', send: page(() => '/api/v1/webhook-deliveries?limit=20') },
  ];
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
