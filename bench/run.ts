// npm run bench: load on the production build against a real PostgreSQL, each figure beside baselines
// measured in the same run on the same machine (service, PostgreSQL and load generator share its cores):
// - the "limit": the same SQL statements the endpoint executes, replayed straight through pg, no HTTP
//   (sql-replay.ts), at the same concurrency;
// - the echo receiver: NestJS on Express verifying an HS512 Bearer JWT and answering the body (echo-receiver.ts);
// - pgbench's TPC-B-like script (-s 10, -c 8 -j 2) on the same PostgreSQL;
// - open-loop latency at fixed rates beside the same rate of single-row durable INSERTs (baselines.ts).
// The targets of issue #17 are printed with each ratio; results go to bench/results/.
//
//   BENCH_DATABASE_URL   PostgreSQL server (fresh databases are made and dropped)               required
//   BENCH_CONNECTIONS    concurrent connections / loops                                        32
//   BENCH_SECONDS        length of each timed run                                              10
//   BENCH_POOL           the service's DB_POOL_SIZE, and the limit's pool                       10
//   BENCH_SCENARIOS      which parts to run, e.g. "a,e,p": a b c d, e (echo), p (pgbench), l (latency)
//   BENCH_RATES          open-loop rates in credits/s                                          50,100,200
//   BENCH_OPEN_LOOP_SECONDS  length of each open-loop window (credits, then INSERTs)           30
//   BENCH_PREPARED_STATEMENTS  the service's DB_PREPARED_STATEMENTS                            true
import pg from 'pg';
import { openLoopApart, runPgbench, settle, startEchoReceiver } from './baselines.js';
import {
  API_KEY,
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
import { LatencyResult, machineLine, print, RunResult, save, ScenarioResult, targetsOf } from './report.js';
import {
  createBody,
  createInputs,
  creditBody,
  creditInputs,
  duplicateInputs,
  recordPlans,
  SYNC_PATH,
  withCpu,
} from './scenarios.js';
import { replay, ReplayPlan } from './sql-replay.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POOL = Number(process.env.BENCH_POOL ?? 10);
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? 'a,b,c,d,e,p,l').split(',').map((s) => s.trim()));
const RATES = (process.env.BENCH_RATES ?? '50,100,200').split(',').map(Number);
// A p99 of 10 s at 50/s is the 5th slowest of 500: one stall of the machine decides it, on either side.
const OPEN_LOOP_SECONDS = Number(process.env.BENCH_OPEN_LOOP_SECONDS ?? 30);

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
    // BENCH_PREPARED_STATEMENTS=false measures the service as it was before prepared statements (#17).
    DB_PREPARED_STATEMENTS: process.env.BENCH_PREPARED_STATEMENTS ?? 'true',
    // BENCH_CREDIT_BATCH_SIZE=1 measures each credit in its own transaction, as before batching (#17).
    CREDIT_BATCH_SIZE: process.env.BENCH_CREDIT_BATCH_SIZE ?? '16',
    CREDIT_BATCH_CONCURRENCY: process.env.BENCH_CREDIT_BATCH_CONCURRENCY ?? '2',
    // BENCH_PAYMENT_BATCH_SIZE=1 measures each new payment's writes in transactions of their own.
    PAYMENT_BATCH_SIZE: process.env.BENCH_PAYMENT_BATCH_SIZE ?? '16',
    PAYMENT_BATCH_CONCURRENCY: process.env.BENCH_PAYMENT_BATCH_CONCURRENCY ?? '2',
    // Background work is part of production, but would blur the per-endpoint figures here.
    PAYMENT_SWEEP_INTERVAL_MS: '3600000',
    // e.g. BENCH_SERVICE_ENV='{"WEBHOOK_DISPATCH_INTERVAL_MS":"60000"}' to see what the background work costs
    ...serviceOverrides(),
  });
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" to profile the service under load
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean);
  const service = await startService(env, 30_000, { quiet: true, nodeArgs });
  // Pipeline mode, as the service's pool: the statements of a recorded batch go out without waiting.
  const pool = new pg.Pool({ connectionString: db.url, max: POOL, pipeline: true });
  const results: ScenarioResult[] = [];
  const latency: LatencyResult[] = [];
  const shapes: Record<string, string> = {};
  let echoFigures: RunResult['echo'];
  let pgbenchFigures: RunResult['pgbench'];
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

    const recorded = await recordPlans(env, payments, takePayment);
    const { planA, planB, planC, planD, delivered } = recorded;
    Object.assign(shapes, recorded.shapes);

    // Before each measured window: a checkpoint, and the machine idle again (see settle()).
    const quiet = async () => {
      const busy = await settle(db.url);
      if (busy > 0.15) process.stdout.write(`   ! the machine was still ${Math.round(busy * 100)}% busy\n`);
    };
    const run = async (name: string, endpoint: () => Promise<Figures>, limit: () => Promise<Figures>) => {
      if (!SCENARIOS.has(name.slice(1, 2))) return;
      process.stdout.write(`bench: ${name}\n`);
      await quiet();
      const e = await withCpu(service.child.pid!, endpoint);
      await quiet();
      const l = await withCpu(process.pid, limit);
      const split = ({
        cpuMsPerRequest,
        postgresCpuMsPerRequest,
        machineCpuMsPerRequest,
        ...rest
      }: typeof e) => ({
        figures: rest,
        cpu: { cpuMsPerRequest, postgresCpuMsPerRequest, machineCpuMsPerRequest },
      });
      const endpointPart = split(e);
      const limitPart = split(l);
      results.push({
        name,
        endpoint: endpointPart.figures,
        limit: limitPart.figures,
        cpu: endpointPart.cpu,
        limitCpu: limitPart.cpu,
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
    );
    await run(
      '(b) transaction-sync, duplicate delivery',
      () =>
        syncLoad(() => {
          const d = delivered[r++ % Math.min(500, delivered.length)];
          return creditBody(d.p, d.reference);
        }),
      () => limitRun(pool, planB, (i) => duplicateInputs(delivered[i % Math.min(500, delivered.length)])),
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
    );
    if (SCENARIOS.has('e')) {
      process.stdout.write('bench: echo receiver\n');
      const echo = await startEchoReceiver();
      try {
        // Warmed up as the service is by the runs before its own (JIT, connections).
        await load({
          url: `${echo.url}/echo`,
          connections: CONNECTIONS,
          durationSeconds: 2,
          method: 'POST',
          headers: { authorization: `Bearer ${echo.token}` },
          body: () => sample,
        });
        await quiet();
        echoFigures = await withCpu(echo.pid, () =>
          load({
            url: `${echo.url}/echo`,
            connections: CONNECTIONS,
            durationSeconds: SECONDS,
            method: 'POST',
            headers: { authorization: `Bearer ${echo.token}` },
            body: () => sample,
          }),
        );
      } finally {
        await echo.stop();
      }
    }
    if (SCENARIOS.has('p')) {
      process.stdout.write('bench: pgbench -i -s 10, then -c 8 -j 2\n');
      pgbenchFigures = await runPgbench(server, SECONDS);
    }
    if (SCENARIOS.has('l')) {
      for (const rate of RATES) {
        process.stdout.write(`bench: open loop, ${rate} credits/s, then ${rate} INSERTs/s\n`);
        // Each credit pays a payment made through the API just before, as a merchant's order system makes
        // it minutes before its payer pays (a service that made it can decide its credit in one round
        // trip); each body made here, sent from a generator process of its own.
        const paid = await mapLimit(
          Array.from({ length: Math.round(rate * OPEN_LOOP_SECONDS) }, (_, i) => i),
          CONNECTIONS,
          (i) => createPayment(service.url, `bench-l${rate}-${Date.now()}-${i}`, 100_000 + (i % 7) * 1000),
        );
        const bodies = paid.map((p) => creditBody(p, creditInputs(p).reference));
        await quiet();
        const tripsBefore = await oneTripCounts(service.url);
        const service_ = await openLoopApart({
          kind: 'post',
          url: `${service.url}${SYNC_PATH}`,
          headers: { 'content-type': 'application/json', ...syncHeaders },
          bodies,
          rate,
          seconds: OPEN_LOOP_SECONDS,
        });
        const tripsAfter = await oneTripCounts(service.url);
        const oneTrip = {
          committed: tripsAfter.committed - tripsBefore.committed,
          decidedAgain: tripsAfter.decidedAgain - tripsBefore.decidedAgain,
        };
        await quiet();
        const insert = await openLoopApart({
          kind: 'insert',
          databaseUrl: db.url,
          body: sample,
          rate,
          seconds: OPEN_LOOP_SECONDS,
        });
        latency.push({ rate, service: service_, insert, oneTrip });
      }
    }
  } finally {
    await pool.end();
    await service.stop();
    // BENCH_KEEP_DB=1 leaves the database behind for EXPLAIN (its URL is printed).
    if (process.env.BENCH_KEEP_DB) process.stdout.write(`bench: kept ${db.url}\n`);
    else await db.drop();
  }

  const partial = {
    at: new Date().toISOString(),
    machine: machineLine(),
    connections: CONNECTIONS,
    seconds: SECONDS,
    openLoopSeconds: OPEN_LOOP_SECONDS,
    pool: POOL,
    shapes,
    scenarios: results,
    echo: echoFigures,
    pgbench: pgbenchFigures,
    latency,
    peakRssMb: Math.round(service.peakRss() / 1048576),
  };
  const result: RunResult = { ...partial, targets: targetsOf(partial) };
  print(result);
  process.stdout.write(`\nwrote ${save(result)} and bench/results/latest.json\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);

/** The service's counts of lone credits sent in one round trip (credit_one_trip_total). */
async function oneTripCounts(url: string): Promise<{ committed: number; decidedAgain: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (outcome: string) =>
    Number(new RegExp(`^credit_one_trip_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { committed: count('committed'), decidedAgain: count('decided_again') };
}

function serviceOverrides(): Record<string, string> {
  const given = process.env.BENCH_SERVICE_ENV;
  if (!given) return {};
  const parsed: unknown = JSON.parse(given);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('BENCH_SERVICE_ENV must be a JSON object of settings');
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}
