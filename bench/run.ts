// npm run bench: load on the production build against a real PostgreSQL, with two baselines in the same run at
// the same concurrency: the "limit" (the same SQL statements the endpoint executes, replayed straight through pg,
// no HTTP; see sql-replay.ts) and a bare Fastify JSON echo (no framework, no database).
//
//   BENCH_DATABASE_URL   PostgreSQL server (a fresh database is made and dropped)            required
//   BENCH_CONNECTIONS    concurrent connections / loops                                        32
//   BENCH_SECONDS        length of each timed run                                              10
//   BENCH_POOL           the service's DB_POOL_SIZE, and the limit's pool                       10
//   BENCH_SCENARIOS      which scenarios to run, e.g. "a,c"                                     a,b,c,d
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import {
  API_KEY,
  callbackBody,
  CreatedPayment,
  createPayment,
  freePort,
  freshDatabase,
  mapLimit,
  partnerToken,
  requireEnv,
  serviceEnv,
  startService,
} from './lib.js';
import { Figures, load, loop } from './measure.js';
import { installRecorder, plan, record, replay, ReplayPlan } from './sql-replay.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POOL = Number(process.env.BENCH_POOL ?? 10);
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? 'a,b,c,d').split(',').map((s) => s.trim()));
const SYNC_PATH = '/vqr/bank/api/transaction-sync';

interface ScenarioResult {
  name: string;
  endpoint: Figures;
  limit: Figures;
  echo: Figures;
}

let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

function creditBody(p: CreatedPayment, reference: string): string {
  return JSON.stringify(
    callbackBody({ reference, amount: p.amount, orderId: p.code, content: `${p.code} thanh toan` }),
  );
}

async function startEcho(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = fork('dist/bench/echo-server.js', [], { stdio: 'ignore', env: { PORT: '0' } });
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${message.port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Records the SQL of one endpoint twice (after a warm-up) in an in-process app and plans its replay. */
async function recordPlan(
  send: (inputs: Record<string, string>) => Promise<void>,
  samples: [Record<string, string>, Record<string, string>, Record<string, string>],
): Promise<ReplayPlan> {
  await send(samples[0]); // warm-up: caches (API key, token) fill here, not in the recordings
  const a = await record(() => send(samples[1]));
  const b = await record(() => send(samples[2]));
  return plan(a, samples[1], b, samples[2]);
}

async function limitRun(
  pool: pg.Pool,
  replayPlan: ReplayPlan,
  inputsFor: (i: number) => Record<string, string>,
): Promise<Figures> {
  return loop(CONNECTIONS, SECONDS, async (i) => {
    const client = await pool.connect();
    try {
      await replay(client, replayPlan, inputsFor(i));
    } catch (error) {
      // Never hand back a connection inside an aborted transaction.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
}

async function main(): Promise<number> {
  const server = requireEnv('BENCH_DATABASE_URL');
  const db = await freshDatabase(server, 'vqg_bench');
  const port = await freePort();
  const env = serviceEnv(db.url, port, {
    DB_POOL_SIZE: String(POOL),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    // Background work is part of production, but would blur the per-endpoint figures here.
    PAYMENT_SWEEP_INTERVAL_MS: '3600000',
  });
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" to profile the service under load
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean);
  const service = await startService(env, 30_000, { quiet: true, nodeArgs });
  const echo = await startEcho();
  // Pipeline mode, as the service's pool: the statements of a recorded batch go out without waiting.
  const pool = new pg.Pool({ connectionString: db.url, max: POOL, pipeline: true });
  const results: ScenarioResult[] = [];
  try {
    const token = await partnerToken(service.url);
    const syncHeaders = { authorization: `Bearer ${token}` };
    const apiHeaders = { 'x-api-key': API_KEY };

    // A few payments for the recordings; scenario (a) later pays the many that (c) creates.
    let payments = await mapLimit(
      Array.from({ length: 2010 }, (_, i) => i),
      CONNECTIONS,
      (i) => createPayment(service.url, `bench-${Date.now()}-${i}`, 100_000 + (i % 7) * 1000),
    );
    let nextPayment = 0;
    const takePayment = () => {
      if (nextPayment >= payments.length) throw new Error('ran out of pending payments');
      return payments[nextPayment++];
    };

    // The in-process app that serves the recordings (same code, same database; its pg calls are recorded).
    installRecorder();
    const { createApp } = await import('../src/app.factory.js');
    const { loadConfig } = await import('../src/config/app-config.js');
    const recorderPort = await freePort();
    const recorderEnv = {
      ...env,
      PORT: String(recorderPort),
      PUBLIC_BASE_URL: `https://gateway-${recorderPort}.bench.invalid`,
      LOG_LEVEL: 'silent',
      WEBHOOK_DISPATCH_INTERVAL_MS: '60000',
    };
    const recorderApp = await createApp(loadConfig(recorderEnv));
    await recorderApp.listen({ port: recorderPort, host: '127.0.0.1' });
    const rec = `http://127.0.0.1:${recorderPort}`;
    const recToken = await partnerToken(rec);
    const post = async (url: string, headers: Record<string, string>, body: string, expect: number) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      if (res.status !== expect) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    };

    // (a) a new credit that pays a pending payment
    const creditInputs = (p: CreatedPayment) => {
      const reference = unique('FTB');
      return { reference, transactionid: reference.toLowerCase(), code: p.code, paymentId: p.id };
    };
    const planA = await recordPlan(
      (x) =>
        post(
          `${rec}${SYNC_PATH}`,
          { authorization: `Bearer ${recToken}` },
          creditBody(
            payments.find((p) => p.code === x.code)!,
            x.reference,
          ),
          200,
        ),
      [creditInputs(takePayment()), creditInputs(takePayment()), creditInputs(takePayment())],
    );
    // (b) a duplicate of a delivery already recorded
    const delivered: Array<{ p: CreatedPayment; reference: string }> = [];
    const duplicateInputs = (d: { p: CreatedPayment; reference: string }) => ({
      reference: d.reference,
      transactionid: d.reference.toLowerCase(),
      code: d.p.code,
    });
    for (let i = 0; i < 3; i++) {
      const p = takePayment();
      const reference = unique('FTD');
      await post(
        `${rec}${SYNC_PATH}`,
        { authorization: `Bearer ${recToken}` },
        creditBody(p, reference),
        200,
      );
      delivered.push({ p, reference });
    }
    const planB = await recordPlan(
      (x) =>
        post(
          `${rec}${SYNC_PATH}`,
          { authorization: `Bearer ${recToken}` },
          creditBody(delivered.find((d) => d.reference === x.reference)!.p, x.reference),
          200,
        ),
      [duplicateInputs(delivered[0]), duplicateInputs(delivered[1]), duplicateInputs(delivered[2])],
    );
    // (c) creating a payment (QR_PROVIDER=local)
    const createInputs = () => ({ orderId: unique('bench-c-') });
    const createBody = (x: Record<string, string>) =>
      JSON.stringify({ orderId: x.orderId, amount: 150_000, description: 'bench' });
    const planC = await recordPlan(
      (x) => post(`${rec}/api/v1/payments`, { 'x-api-key': API_KEY }, createBody(x), 201),
      [createInputs(), createInputs(), createInputs()],
    );
    // (d) reading a payment
    const planD = await recordPlan(
      async (x) => {
        const res = await fetch(`${rec}/api/v1/payments/${x.id}`, { headers: { 'x-api-key': API_KEY } });
        if (res.status !== 200) throw new Error(`GET payment answered ${res.status}`);
        await res.arrayBuffer();
      },
      [{ id: payments[0].id }, { id: payments[1].id }, { id: payments[2].id }],
    );
    await recorderApp.close();
    const shape = (p: ReplayPlan) =>
      `${p.statements.length} in ${new Set(p.statements.map((x) => x.batch)).size} round trips`;
    // BENCH_SHOW_SQL=1 prints the recorded statements of each scenario (what the limit replays).
    if (process.env.BENCH_SHOW_SQL) {
      for (const [name, p] of Object.entries({ a: planA, b: planB, c: planC, d: planD })) {
        for (const st of p.statements) process.stdout.write(`(${name}) #${st.batch} ${st.text.replace(/\s+/g, ' ')}\n`);
      }
    }
    process.stdout.write(
      `bench: recorded statements per request: (a) ${shape(planA)}, (b) ${shape(planB)}, (c) ${shape(planC)}, (d) ${shape(planD)}\n`,
    );

    const echoRun = (body: string | undefined) =>
      load({
        url: `${echo.url}/echo`,
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
        method: body ? 'POST' : 'GET',
        body: body ? () => body : undefined,
      });
    const run = async (
      name: string,
      endpoint: () => Promise<Figures>,
      limit: () => Promise<Figures>,
      echoBody: string | undefined,
    ) => {
      if (!SCENARIOS.has(name.slice(1, 2))) return;
      process.stdout.write(`bench: ${name}\n`);
      const e = await endpoint();
      const l = await limit();
      const x = await echoRun(echoBody);
      results.push({
        name,
        endpoint: { ...e, peakRssMb: Math.round(service.peakRss() / 1048576) },
        limit: l,
        echo: x,
      });
    };

    const sample = creditBody(payments[0], 'FTSAMPLE');
    const syncLoad = (body: () => string) =>
      load({
        url: `${service.url}${SYNC_PATH}`,
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
        method: 'POST',
        headers: syncHeaders,
        body,
      });
    let r = 0;
    await run(
      '(c) POST /api/v1/payments (QR_PROVIDER=local)',
      () =>
        load({
          url: `${service.url}/api/v1/payments`,
          connections: CONNECTIONS,
          durationSeconds: SECONDS,
          method: 'POST',
          headers: apiHeaders,
          body: () => createBody(createInputs()),
        }),
      () => limitRun(pool, planC, () => createInputs()),
      createBody(createInputs()),
    );
    // Pending payments for (a): every request of the run and of its limit pays a different one.
    const wanted = 80_000 * Math.max(1, SECONDS / 10);
    const pending = async () =>
      (
        await pool.query<{ id: string; code: string; amount: string }>(
          `SELECT id, code, amount FROM payment WHERE status = 'PENDING' AND qr_code IS NOT NULL ORDER BY created_at DESC LIMIT $1`,
          [wanted],
        )
      ).rows;
    if ((await pending()).length < wanted) {
      process.stdout.write('bench: topping up pending payments through the recorded create statements\n');
      let made = 0;
      await mapLimit(
        Array.from({ length: CONNECTIONS }, (_, i) => i),
        CONNECTIONS,
        async () => {
          while (made < wanted) {
            made++;
            const client = await pool.connect();
            try {
              await replay(client, planC, createInputs());
            } finally {
              client.release();
            }
          }
        },
      );
    }
    payments = (await pending()).map((row) => ({
      id: row.id,
      code: row.code,
      amount: Number(row.amount),
      orderId: '',
    }));
    nextPayment = 0;
    await run(
      '(a) transaction-sync, new credit paying a pending payment',
      () =>
        syncLoad(() => {
          const p = takePayment();
          const x = creditInputs(p);
          delivered.push({ p, reference: x.reference });
          return creditBody(p, x.reference);
        }),
      () => limitRun(pool, planA, () => creditInputs(takePayment())),
      sample,
    );
    await run(
      '(b) transaction-sync, duplicate delivery',
      () =>
        syncLoad(() => {
          const d = delivered[r++ % Math.min(500, delivered.length)];
          return creditBody(d.p, d.reference);
        }),
      () => limitRun(pool, planB, (i) => duplicateInputs(delivered[i % Math.min(500, delivered.length)])),
      sample,
    );
    const readIds = payments.slice(0, 2000).map((p) => p.id);
    await run(
      '(d) GET /api/v1/payments/:id',
      () =>
        load({
          url: service.url,
          connections: CONNECTIONS,
          durationSeconds: SECONDS,
          method: 'GET',
          headers: apiHeaders,
          path: () => `/api/v1/payments/${readIds[r++ % readIds.length]}`,
        }),
      () => limitRun(pool, planD, (i) => ({ id: readIds[i % readIds.length] })),
      undefined,
    );
  } finally {
    await pool.end();
    await echo.stop();
    await service.stop();
    // BENCH_KEEP_DB=1 leaves the database behind for EXPLAIN (its URL is printed).
    if (process.env.BENCH_KEEP_DB) process.stdout.write(`bench: kept ${db.url}\n`);
    else await db.drop();
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load generator, service and PostgreSQL on the same machine`;
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  process.stdout.write(`\n${machine}\n${CONNECTIONS} connections, ${SECONDS} s per run, pool ${POOL}\n\n`);
  process.stdout.write(
    `${'scenario'.padEnd(58)}${pad('req/s', 8)}${pad('p50', 6)}${pad('p99', 6)}${pad('limit/s', 9)}${pad('lim p99', 9)}${pad('echo/s', 8)}${pad('e/limit', 9)}${pad('e/echo', 8)}${pad('RSS MB', 8)}\n`,
  );
  for (const s of results) {
    process.stdout.write(
      `${s.name.padEnd(58)}${pad(s.endpoint.requestsPerSecond, 8)}${pad(s.endpoint.p50Ms, 6)}${pad(s.endpoint.p99Ms, 6)}${pad(s.limit.requestsPerSecond, 9)}${pad(s.limit.p99Ms, 9)}${pad(s.echo.requestsPerSecond, 8)}${pad((s.endpoint.requestsPerSecond / s.limit.requestsPerSecond).toFixed(2), 9)}${pad((s.endpoint.requestsPerSecond / s.echo.requestsPerSecond).toFixed(2), 8)}${pad(s.endpoint.peakRssMb ?? '', 8)}\n`,
    );
    if (s.endpoint.errors + s.endpoint.non2xx > 0)
      process.stdout.write(
        `   ! endpoint: ${s.endpoint.errors} errors, ${s.endpoint.non2xx} non-2xx answers\n`,
      );
    if (s.limit.errors > 0)
      process.stdout.write(`   ! limit: ${s.limit.errors} errors, first: ${s.limit.firstError}\n`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/latest.json',
    `${JSON.stringify({ at: new Date().toISOString(), machine, connections: CONNECTIONS, seconds: SECONDS, pool: POOL, results }, null, 2)}\n`,
  );
  process.stdout.write('\nwrote bench/results/latest.json\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
