// The scenarios' requests and their recorded SQL: the statements each endpoint runs, recorded from an
// in-process app (same code, same database) so that the limit can replay them straight through pg.
import {
  API_KEY,
  callbackBody,
  CreatedPayment,
  cpuMsOf,
  freePort,
  machineBusyMs,
  partnerToken,
  postgresCpuBetween,
  postgresCpuByPid,
} from './lib.js';
import type { Figures } from './measure.js';
import { installRecorder, plan, record, ReplayPlan } from './sql-replay.js';

export const SYNC_PATH = '/vqr/bank/api/transaction-sync';

let seq = 0;
export const unique = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

export function creditBody(p: CreatedPayment, reference: string): string {
  return JSON.stringify(
    callbackBody({ reference, amount: p.amount, orderId: p.code, content: `${p.code} thanh toan` }),
  );
}

export const creditInputs = (p: CreatedPayment) => {
  const reference = unique('FTB');
  return { reference, transactionid: reference.toLowerCase(), code: p.code, paymentId: p.id };
};
export const duplicateInputs = (d: { p: CreatedPayment; reference: string }) => ({
  reference: d.reference,
  transactionid: d.reference.toLowerCase(),
  code: d.p.code,
});
export const createInputs = () => ({ orderId: unique('bench-c-') });
export const createBody = (x: Record<string, string>) =>
  JSON.stringify({ orderId: x.orderId, amount: 150_000, description: 'bench' });

export interface CpuPerRequest {
  /** user + sys of the measured process (the service, or the echo receiver) ÷ answered requests, ms */
  cpuMsPerRequest: number;
  /** the same for every PostgreSQL process on the machine */
  postgresCpuMsPerRequest: number;
  /** busy time of the whole machine (both cores: service, PostgreSQL, load generator, the rest) */
  machineCpuMsPerRequest: number;
}

/** Runs `measure` and returns its figures with the CPU used meanwhile, per answered request. */
export async function withCpu<T extends Figures>(
  pid: number,
  measure: () => Promise<T>,
): Promise<T & CpuPerRequest> {
  const [ownBefore, postgresBefore, machineBefore] = [cpuMsOf(pid), postgresCpuByPid(), machineBusyMs()];
  const figures = await measure();
  const [ownAfter, postgresAfter, machineAfter] = [cpuMsOf(pid), postgresCpuByPid(), machineBusyMs()];
  const per = (used: number) => Math.round((used / Math.max(1, figures.total)) * 1000) / 1000;
  return {
    ...figures,
    cpuMsPerRequest: per(ownAfter - ownBefore),
    postgresCpuMsPerRequest: per(postgresCpuBetween(postgresBefore, postgresAfter)),
    machineCpuMsPerRequest: per(machineAfter - machineBefore),
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

/** Records the plans of (a) a new credit, (b) a duplicate delivery, (c) a payment created, (d) a payment read. */
export async function recordPlans(
  env: Record<string, string>,
  payments: CreatedPayment[],
  takePayment: () => CreatedPayment,
) {
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
  for (let i = 0; i < 3; i++) {
    const p = takePayment();
    const reference = unique('FTD');
    await post(`${rec}${SYNC_PATH}`, { authorization: `Bearer ${recToken}` }, creditBody(p, reference), 200);
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
    `${p.statements.length} in ${new Set(p.statements.map((x) => x.batch)).size} round trips (${p.statements.filter((x) => x.name).length} prepared)`;
  // BENCH_SHOW_SQL=1 prints the recorded statements of each scenario (what the limit replays).
  if (process.env.BENCH_SHOW_SQL) {
    for (const [name, p] of Object.entries({ a: planA, b: planB, c: planC, d: planD })) {
      for (const st of p.statements)
        process.stdout.write(`(${name}) #${st.batch} ${st.text.replace(/\s+/g, ' ')}\n`);
    }
  }
  const plans = { a: planA, b: planB, c: planC, d: planD };
  const shapes = Object.fromEntries(Object.entries(plans).map(([k, p]) => [k, shape(p)]));
  return { planA, planB, planC, planD, delivered, shapes };
}
