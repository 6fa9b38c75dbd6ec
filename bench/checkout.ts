// npm run bench:checkout: the payer's checkout page under load, against a real PostgreSQL.
//
//   (e) GET /pay/:token: pages per second, beside its limit (the page's one SELECT by token, straight through
//       pg) and the bare echo server; the per-address rate limit is lifted for the run, then shown to hold.
//   (f) fan-out: BENCH_PAGES pages follow one payment over server-sent events on instance 1; one credit is
//       posted to instance 2 (same database); the time until every page has its PAID event is measured.
//       Pages come from several loopback addresses (127.0.1.x): an address may hold 20 streams.
//
//   BENCH_DATABASE_URL   PostgreSQL server (a fresh database is made and dropped)            required
//   BENCH_CONNECTIONS    concurrent connections for (e)                                        32
//   BENCH_SECONDS        length of each timed run                                              10
//   BENCH_PAGES          open pages for (f)                                                    1000
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import {
  API_KEY,
  callbackBody,
  freePort,
  freshDatabase,
  partnerToken,
  requireEnv,
  serviceEnv,
  startService,
} from './lib.js';
import { load, loop } from './measure.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PAGES = Number(process.env.BENCH_PAGES ?? 1000);
const STREAMS_PER_ADDRESS = 20;

interface Page {
  checkoutUrl: string;
  id: string;
  code: string;
  amount: number;
}

async function createPage(baseUrl: string, orderId: string, amount: number): Promise<Page> {
  const res = await fetch(`${baseUrl}/api/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
    body: JSON.stringify({ orderId, amount }),
  });
  if (res.status !== 201) throw new Error(`create payment answered ${res.status}: ${await res.text()}`);
  return { ...((await res.json()) as Page), amount };
}

/** Opens one event stream from the given local address; resolves with the time its PAID event arrived. */
function follow(url: string, localAddress: string): { opened: Promise<void>; paid: Promise<number> } {
  let open: () => void;
  let fail: (e: Error) => void;
  const opened = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  const paid = new Promise<number>((resolve, reject) => {
    const req = httpRequest(url, { localAddress, agent: false }, (res) => {
      if (res.statusCode !== 200) return fail(new Error(`events answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (buffer.includes('"PENDING"')) open();
        if (buffer.includes('"status":"PAID"')) {
          resolve(performance.now());
          req.destroy();
        }
      });
      res.on('end', () => reject(new Error('stream ended before PAID')));
    });
    req.on('error', (e) => (fail(e), reject(e)));
    req.end();
  });
  paid.catch(() => undefined);
  return { opened, paid };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<number> {
  const db = await freshDatabase(requireEnv('BENCH_DATABASE_URL'), 'vqg_bench_checkout');
  const [port1, port2] = [await freePort(), await freePort()];
  const common = {
    LOG_LEVEL: 'warn',
    PAYMENT_SWEEP_INTERVAL_MS: '3600000',
    CHECKOUT_MAX_STREAMS: String(Math.max(PAGES, 2000)),
  };
  const one = await startService(
    serviceEnv(db.url, port1, { ...common, CHECKOUT_RATE_LIMIT_PER_MINUTE: '100000' }),
    30_000,
    { quiet: true },
  );
  const two = await startService(serviceEnv(db.url, port2, common), 30_000, { quiet: true });
  const echo = fork('dist/bench/echo-server.js', [], { stdio: 'ignore', env: { PORT: '0' } });
  const [{ port: echoPort }] = (await once(echo, 'message')) as [{ port: number }];
  const pool = new pg.Pool({ connectionString: db.url, max: 10 });
  try {
    // (e) the page
    const pages = await Promise.all(
      Array.from({ length: 200 }, (_, i) => createPage(one.url, `bench-page-${i}`, 150_000 + i * 1000)),
    );
    const paths = pages.map((p) => new URL(p.checkoutUrl).pathname);
    const tokens = paths.map((p) => p.split('/')[2]);
    const html = await (await fetch(`${one.url}${paths[0]}`)).text();
    const script = /<script [^>]*src="([^"]+)"/.exec(html)![1];
    const js = await (await fetch(`${one.url}${script}`)).text();
    let r = 0;
    const endpoint = await load({
      url: one.url,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      headers: { 'accept-encoding': 'gzip' },
      path: () => paths[r++ % paths.length],
    });
    const limit = await loop(CONNECTIONS, SECONDS, async (i) => {
      await pool.query('SELECT * FROM payment WHERE checkout_token = $1', [tokens[i % tokens.length]]);
    });
    const bare = await load({
      url: `http://127.0.0.1:${echoPort}/echo`,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
    });
    // The default limit (60 per address and minute) on instance 2: the 61st request is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await fetch(`${two.url}${paths[0]}`)).status);

    // (f) fan-out of one credit to PAGES open pages, the credit arriving at the other instance
    const target = await createPage(one.url, 'bench-fanout', 100_000);
    const eventsUrl = `${one.url}${new URL(target.checkoutUrl).pathname}/events`;
    const streams = Array.from({ length: PAGES }, (_, i) =>
      follow(eventsUrl, `127.0.1.${1 + Math.floor(i / STREAMS_PER_ADDRESS)}`),
    );
    await Promise.all(streams.map((s) => s.opened));
    const token = await partnerToken(two.url);
    const sent = performance.now();
    const res = await fetch(`${two.url}/vqr/bank/api/transaction-sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(
        callbackBody({
          reference: 'FTFANOUT1',
          amount: target.amount,
          orderId: target.code,
          content: target.code,
        }),
      ),
    });
    if (res.status !== 200) throw new Error(`transaction-sync answered ${res.status}`);
    const answered = performance.now();
    // Measured from the moment the credit was sent: pages learn of it at the instances' next read of the
    // payments they watch (CHECKOUT_POLL_INTERVAL_MS).
    const arrivals = (await Promise.all(streams.map((s) => s.paid)))
      .map((t) => t - sent)
      .sort((a, b) => a - b);

    const weight = gzipSync(html).length + gzipSync(js).length;
    process.stdout.write(
      `\n(e) GET /pay/:token    ${endpoint.requestsPerSecond} req/s (p50 ${endpoint.p50Ms} ms, p99 ${endpoint.p99Ms} ms, ` +
        `${endpoint.errors + endpoint.non2xx} errors/non-2xx); limit ${limit.requestsPerSecond}/s; echo ${bare.requestsPerSecond}/s\n` +
        `    page weight: ${weight} B gzip (HTML with inline CSS and QR + script)\n` +
        `    default rate limit: requests 1-60 ${[...new Set(statuses.slice(0, 60))].join('/')}, request 61 ${statuses[60]}\n` +
        `(f) ${PAGES} pages, one credit through the other instance: transaction-sync answered after ` +
        `${Math.round(answered - sent)} ms; PAID on every page ${Math.round(arrivals[arrivals.length - 1])} ms ` +
        `after the credit was sent (p50 ${Math.round(quantile(arrivals, 0.5))} ms, p99 ${Math.round(quantile(arrivals, 0.99))} ms)\n`,
    );
    return 0;
  } finally {
    await pool.end();
    echo.kill('SIGTERM');
    await Promise.all([one.stop(), two.stop()]);
    await db.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
