// npm run stress: two service instances on one PostgreSQL take a VietQR-like storm of deliveries with
// duplicates (some sent to both instances at once) while one instance is SIGKILLed and restarted and, where
// allowed, the PostgreSQL server is restarted. Then it checks that no money was lost or double-counted and that
// every outbox event reached the test receiver. Non-zero exit if any check fails.
//
//   STRESS_DATABASE_URL   PostgreSQL server to use (a fresh database is made and dropped)   required
//   STRESS_PROFILE        full (5,000+ deliveries, 1,000 payments) | ci (short)              full
//   STRESS_PG_RESTART     command that restarts that PostgreSQL server; unset = step skipped
import { execSync } from 'node:child_process';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
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
  ServiceProcess,
  sleep,
  startService,
} from './lib.js';

const PROFILES = {
  full: { payments: 1000, uniqueCredits: 3600, duplicateShare: 0.35, concurrency: 24 },
  ci: { payments: 200, uniqueCredits: 700, duplicateShare: 0.35, concurrency: 16 },
};

interface Delivery {
  reference: string;
  payment: CreatedPayment;
  amount: number;
  /** Send the same delivery to both instances at the same moment. */
  twin: boolean;
}

interface Window {
  from: number;
  to: number;
  what: string;
}

const stats = {
  sent: 0,
  ok: 0,
  retries: 0,
  fiveXx: [] as Array<{ at: number; status: number; reference: string }>,
};
const acknowledged = new Map<string, Set<string>>(); // reference -> reftransactionids answered with 200

async function main(): Promise<number> {
  const profile = PROFILES[(process.env.STRESS_PROFILE ?? 'full') as keyof typeof PROFILES] ?? PROFILES.full;
  const server = requireEnv('STRESS_DATABASE_URL');
  const db = await freshDatabase(server, 'vqg_stress');
  const received = new Map<string, number>();
  const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    const id = String(req.headers['webhook-id'] ?? '');
    req.resume();
    req.on('end', () => {
      received.set(id, (received.get(id) ?? 0) + 1);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverPort = (receiver.address() as { port: number }).port;

  const ports = [await freePort(), await freePort()];
  const envFor = (port: number) =>
    serviceEnv(db.url, port, { DB_POOL_SIZE: '8', WEBHOOK_RETRY_BASE_MS: '200' });
  const instances: ServiceProcess[] = [];
  instances[0] = await startService(envFor(ports[0]));
  instances[1] = await startService(envFor(ports[1]));
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const windows: Window[] = [];
  let failures: string[] = [];

  try {
    const hook = await fetch(`${urls[0]}/api/v1/webhook-endpoints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ url: `http://127.0.0.1:${receiverPort}/hook` }),
    });
    if (hook.status !== 201) throw new Error(`webhook endpoint: ${hook.status} ${await hook.text()}`);

    process.stdout.write(`stress: creating ${profile.payments} payments on two instances\n`);
    const payments = await mapLimit(
      Array.from({ length: profile.payments }, (_, i) => i),
      16,
      (i) => createPayment(urls[i % 2], `stress-${Date.now()}-${i}`, 10_000 * (1 + (i % 50))),
    );

    // Each payment gets 1-6 credits of random size: some stay partial, most are paid, some are overpaid.
    const deliveries: Delivery[] = [];
    for (let i = 0; i < profile.uniqueCredits; i++) {
      const payment = payments[i < payments.length ? i : Math.floor(Math.random() * payments.length)];
      const amount = Math.max(1000, Math.round((payment.amount * (0.2 + Math.random() * 0.6)) / 1000) * 1000);
      deliveries.push({
        reference: `FTS${Date.now().toString(36)}${i.toString(36).padStart(6, '0')}`.toUpperCase(),
        payment,
        amount,
        twin: false,
      });
    }
    const duplicates = Math.ceil(
      (profile.uniqueCredits * profile.duplicateShare) / (1 - profile.duplicateShare),
    );
    const schedule: Delivery[] = [...deliveries];
    for (let i = 0; i < duplicates; i++) {
      const original = deliveries[Math.floor(Math.random() * deliveries.length)];
      schedule.push({ ...original, twin: i % 3 === 0 });
    }
    schedule.sort(() => Math.random() - 0.5);
    process.stdout.write(
      `stress: ${schedule.length} deliveries (${deliveries.length} unique, ${duplicates} duplicates, ${
        schedule.filter((d) => d.twin).length
      } sent to both instances at once), concurrency ${profile.concurrency}\n`,
    );

    const tokens: Array<string | null> = [null, null];
    const tokenFor = async (i: number) => (tokens[i] ??= await partnerToken(urls[i]));

    // VietQR-like sender: re-sends on connection errors, 401 and 5xx (not 400), up to 10 attempts.
    const deliver = async (d: Delivery, instance: number): Promise<void> => {
      const body = JSON.stringify(
        callbackBody({
          reference: d.reference,
          amount: d.amount,
          orderId: d.payment.code,
          content: `${d.payment.code} thanh toan`,
        }),
      );
      for (let attempt = 1; attempt <= 10; attempt++) {
        const target = (instance + attempt - 1) % 2;
        stats.sent++;
        try {
          const res = await fetch(`${urls[target]}/vqr/bank/api/transaction-sync`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${await tokenFor(target)}`,
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (res.status === 200) {
            const ref = (JSON.parse(text) as { object: { reftransactionid: string } }).object
              .reftransactionid;
            const set = acknowledged.get(d.reference) ?? new Set<string>();
            set.add(ref);
            acknowledged.set(d.reference, set);
            stats.ok++;
            return;
          }
          if (res.status === 400) throw new Error(`400 for a valid delivery ${d.reference}: ${text}`);
          if (res.status === 401) tokens[target] = null;
          if (res.status >= 500)
            stats.fiveXx.push({ at: Date.now(), status: res.status, reference: d.reference });
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('400')) throw error;
          tokens[target] = null; // connection refused or reset: the instance may have restarted
        }
        stats.retries++;
        await sleep(Math.min(250 * attempt, 2_000));
      }
      throw new Error(`delivery ${d.reference} not acknowledged after 10 attempts`);
    };

    let done = 0;
    const faults = (async () => {
      const waitFor = async (share: number) => {
        while (done < schedule.length * share) await sleep(20);
      };
      await waitFor(0.3);
      const killAt = Date.now();
      instances[1].child.kill('SIGKILL');
      await instances[1].exited;
      await sleep(1_000);
      instances[1] = await startService(envFor(ports[1]));
      windows.push({ from: killAt, to: Date.now() + 2_000, what: 'instance 2 SIGKILLed and restarted' });
      process.stdout.write(`stress: instance 2 killed and restarted (${Date.now() - killAt} ms)\n`);

      await waitFor(0.6);
      const restart = process.env.STRESS_PG_RESTART;
      if (!restart) {
        process.stdout.write(
          'stress: PostgreSQL restart skipped (set STRESS_PG_RESTART to the command that restarts it)\n',
        );
        return;
      }
      const from = Date.now();
      execSync(restart, { stdio: 'ignore' });
      windows.push({ from, to: Date.now() + 5_000, what: 'PostgreSQL restarted' });
      process.stdout.write(`stress: PostgreSQL restarted (${Date.now() - from} ms)\n`);
    })();

    const started = Date.now();
    await mapLimit(schedule, profile.concurrency, async (d, i) => {
      if (d.twin) await Promise.all([deliver(d, 0), deliver(d, 1)]);
      else await deliver(d, i % 2);
      done++;
    });
    await faults;
    const elapsed = (Date.now() - started) / 1000;
    process.stdout.write(
      `stress: ${schedule.length} deliveries acknowledged in ${elapsed.toFixed(1)} s (${stats.sent} requests, ${stats.retries} re-sends)\n`,
    );

    failures = await verify(db.url, urls[0], payments, deliveries, received, windows);
  } catch (error) {
    failures.push(`run aborted: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await Promise.all(instances.map((s) => s.stop()));
    receiver.close();
    await db.drop().catch(() => undefined);
  }
  if (failures.length > 0) {
    process.stdout.write(`stress FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
    return 1;
  }
  process.stdout.write('stress passed\n');
  return 0;
}

async function verify(
  databaseUrl: string,
  apiUrl: string,
  payments: CreatedPayment[],
  deliveries: Delivery[],
  received: Map<string, number>,
  windows: Window[],
): Promise<string[]> {
  const failures: string[] = [];
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // 1. Every acknowledged reference is stored exactly once, under the id we answered.
    const stored = new Map<string, { n: number; ids: string[] }>();
    for (const row of (
      await client.query(
        `SELECT reference, count(*)::int AS n, array_agg(id::text) AS ids FROM bank_transaction WHERE status <> 'conflict' GROUP BY reference`,
      )
    ).rows as Array<{ reference: string; n: number; ids: string[] }>) {
      stored.set(row.reference, { n: row.n, ids: row.ids });
    }
    let once = 0;
    for (const [reference, ids] of acknowledged) {
      const row = stored.get(reference);
      if (!row || row.n !== 1) failures.push(`reference ${reference} stored ${row?.n ?? 0} times`);
      else if (ids.size !== 1 || !ids.has(row.ids[0]))
        failures.push(`reference ${reference} answered with ids ${[...ids].join(',')}, stored ${row.ids[0]}`);
      else once++;
    }
    if (acknowledged.size !== deliveries.length)
      failures.push(`${deliveries.length - acknowledged.size} unique deliveries never acknowledged`);
    process.stdout.write(
      `check 1: ${once}/${acknowledged.size} acknowledged references stored exactly once under the answered id\n`,
    );

    // 2. Every payment's amountPaid equals the sum of its linked credits (and of what we sent it).
    const sent = new Map<string, number>();
    for (const d of deliveries) sent.set(d.payment.id, (sent.get(d.payment.id) ?? 0) + d.amount);
    let balanced = 0;
    await mapLimit(payments, 16, async (p) => {
      const res = await fetch(`${apiUrl}/api/v1/payments/${p.id}`, { headers: { 'x-api-key': API_KEY } });
      const body = (await res.json()) as { amountPaid: number; transactions: Array<{ amount: number }> };
      const linked = body.transactions.reduce((sum, t) => sum + t.amount, 0);
      const expected = sent.get(p.id) ?? 0;
      if (body.amountPaid !== linked || body.amountPaid !== expected) {
        failures.push(
          `payment ${p.id}: amountPaid ${body.amountPaid}, linked credits ${linked}, sent ${expected}`,
        );
      } else balanced++;
    });
    process.stdout.write(
      `check 2: ${balanced}/${payments.length} payments with amountPaid = sum of linked credits = sum sent\n`,
    );

    // 3. Every outbox event reached the receiver at least once (give the dispatcher time to drain).
    const deadline = Date.now() + 90_000;
    let missing: string[] = [];
    for (;;) {
      const ids = (await client.query(`SELECT id::text AS id FROM outbox_event`)).rows.map(
        (r: { id: string }) => r.id,
      );
      missing = ids.filter((id) => !received.has(id));
      if (missing.length === 0 || Date.now() > deadline) {
        process.stdout.write(
          `check 3: ${ids.length - missing.length}/${ids.length} outbox events received by the test receiver\n`,
        );
        break;
      }
      await sleep(500);
    }
    if (missing.length > 0)
      failures.push(`${missing.length} outbox events never reached the receiver (e.g. ${missing[0]})`);

    // 4. No 5xx outside the fault windows.
    const stray = stats.fiveXx.filter((e) => !windows.some((w) => e.at >= w.from && e.at <= w.to));
    process.stdout.write(
      `check 4: ${stats.fiveXx.length} 5xx answers, ${stray.length} outside the fault windows (${windows.map((w) => w.what).join('; ') || 'none'})\n`,
    );
    for (const e of stray.slice(0, 10))
      failures.push(`${e.status} for ${e.reference} outside any fault window`);
  } finally {
    await client.end();
  }
  return failures;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
