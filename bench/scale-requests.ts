// The requests of npm run bench:scale: what is measured on each database, and what the in-process app
// serves while its statements are recorded for EXPLAIN.
import { encodeCursor } from '../src/common/http/cursor.js';
import { API_KEY, callbackBody, createPayment, CreatedPayment, partnerToken } from './lib.js';
import { Figures, load } from './measure.js';
import { DataSpec, Layout, paymentOf, samplePayments } from './scale-data.js';
import type { Measured } from './scale-report.js';

export const OPERATOR_KEY = 'bench-operator-key-0123456789abcdef';
const SYNC_PATH = '/vqr/bank/api/transaction-sync';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

let seq = 0;
const reference = () => `FTS${Date.now().toString(36)}${(seq++).toString(36)}`.toUpperCase();

export interface Scenario {
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
export async function scenariosOf(base: string, spec: DataSpec, layout: Layout): Promise<Scenario[]> {
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
  // Deliveries that failed for good: each with its twelve attempts, the longest such page.
  const failed = await failedDeliveries(base);
  let f = 0;
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
    {
      name: 'GET /api/v1/webhook-deliveries/:id (its 12 attempts)',
      kind: 'read',
      run: get(() => `/api/v1/webhook-deliveries/${failed[f++ % failed.length]}`),
    },
  ];
}

async function failedDeliveries(base: string): Promise<string[]> {
  const page = await getJson(`${base}/api/v1/webhook-deliveries?status=failed&limit=20`, API_KEY);
  const ids = (page.data as Array<{ id: string; attemptCount: number }>)
    .filter((d) => d.attemptCount === 12)
    .map((d) => d.id);
  if (ids.length < 20) throw new Error(`${ids.length} deliveries failed for good, not a full page`);
  return ids;
}

/** The recorded request whose credit must go in one round trip (bench:scale checks that it did). */
export const ONE_TRIP_CREDIT = 'credit in one trip';

/** What the in-process app serves while recording: each measured request, a duplicate credit too. */
export function requestsFor(spec: DataSpec, layout: Layout) {
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
  // Each request is sent twice (a warm-up, then the recorded one): each credit pays a payment of its own.
  const created: CreatedPayment[] = [];
  let failed: string[] | undefined;
  return [
    // Payments made through the API, then their lone credits: this instance remembers them, so each credit
    // goes in one round trip (its version-checked lock is among the plans).
    {
      label: 'new payment',
      send: async (base: string) =>
        void created.push(await createPayment(base, `scale-${reference()}`, 150_000)),
    },
    {
      label: ONE_TRIP_CREDIT,
      send: (base: string) => sync(base, creditBody(created.shift()!, reference())),
    },
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
    {
      label: 'delivery and its attempts',
      send: async (base: string) => {
        failed ??= await failedDeliveries(base);
        await page(() => `/api/v1/webhook-deliveries/${failed![0]}`)(base);
      },
    },
  ];
}
