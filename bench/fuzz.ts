// npm run fuzz: generated bad requests against the two VietQR endpoints and POST /api/v1/payments.
// Every answer must be a 4xx in the route's envelope, never a 5xx; the service must stay up; and no row may be
// written for rejected input. Then valid transfers carrying random Unicode, each re-sent in another spelling
// (fuzz-text.ts): every one recorded exactly once. Needs FUZZ_DATABASE_URL (a PostgreSQL server; a fresh database is made and dropped).
// FUZZ_PROFILE=ci runs the same campaign (it is already short); FUZZ_SEED fixes the random choices.
import { request } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';
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
import { runTextCampaign } from './fuzz-text.js';

interface Case {
  name: string;
  target: 'token' | 'sync' | 'payments';
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Default true: the body/headers are wrong, so 4xx is required. */
}

interface Outcome {
  status: number;
  body: string;
}

let seed = Number(process.env.FUZZ_SEED ?? 20261126);
function rand(): number {
  // mulberry32: reproducible choices for a given FUZZ_SEED
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];

const INJECTIONS = [
  "' OR 1=1 --",
  '"; SELECT pg_sleep(5); --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '$(reboot)',
  '\u202e',
  '../../etc/passwd',
  '🙂'.repeat(50),
];

// Values that are wrong for the given key whatever the rest of the body says.
const INVALID: Record<string, readonly unknown[]> = {
  amount: [
    null,
    true,
    0,
    -1,
    1.5,
    -0.0001,
    1e13 + 1,
    Number.MAX_SAFE_INTEGER * 4,
    '',
    ' ',
    'abc',
    '12a',
    '1e5',
    '0x10',
    '-5',
    '25000.5',
    [],
    [1],
    {},
    { v: 1 },
  ],
  transType: [null, '', 'X', 'CD', 1, true, [], {}],
  bankaccount: [null, '', [], {}, 'b'.repeat(5000)],
  content: [null, [], {}, 'c'.repeat(20_000)],
  orderId: [null, '', 'o'.repeat(65), 1, [], {}, true],
  paymentAmount: [null, 0, -1, 1.5, 1_000_000_000_000, '150000', [], {}, true],
  description: ['d'.repeat(101), 1, [], {}, true],
  expiresInSeconds: [59, 86_401, 1.5, '900', [], {}],
  metadata: [[1, 2], 'str', 1, true, { big: 'm'.repeat(5000) }],
};

/**
 * Breaks one key (drops it when `droppable`, else gives it a value wrong for that key) and sprinkles injection
 * strings into the other string fields, which must not make the body acceptable.
 */
function mutate(
  base: Record<string, unknown>,
  keys: string[],
  droppable: (k: string) => boolean,
  invalidKey: (k: string) => string = (k) => k,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...base };
  const key = pick(keys);
  if (droppable(key) && rand() < 0.3) delete body[key];
  else body[key] = pick(INVALID[invalidKey(key)]);
  const others = Object.keys(base).filter((k) => k !== key && typeof base[k] === 'string');
  if (others.length > 0 && rand() < 0.5) body[pick(others)] = pick(INJECTIONS);
  return body;
}

function deep(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  const json = (v: unknown) => JSON.stringify(v);
  const credit = callbackBody({ reference: 'FTFUZZ0000001', amount: 100000, orderId: '', content: 'fuzz' });
  // Keys VietQR must send (both spellings accepted; these are the lower-case ones).
  const syncRequired = ['bankaccount', 'amount', 'content', 'transType'];
  const payment = {
    orderId: 'fuzz-order',
    amount: 150000,
    description: 'fuzz',
    expiresInSeconds: 900,
    metadata: { a: 1 },
  };
  const paymentRequired = ['orderId', 'amount', 'description', 'expiresInSeconds', 'metadata'];

  for (let i = 0; i < 220; i++) {
    cases.push({
      name: `sync mutated #${i}`,
      target: 'sync',
      body: json(mutate(credit, syncRequired, () => true)),
    });
  }
  for (let i = 0; i < 40; i++) {
    const body: Record<string, unknown> = { ...credit, content: pick(INJECTIONS) };
    delete body.referencenumber;
    delete body.transactionid;
    cases.push({ name: `sync without any reference #${i}`, target: 'sync', body: json(body) });
  }
  const paymentKey = (k: string) => (k === 'amount' ? 'paymentAmount' : k);
  // Optional fields are fine when absent: only orderId and amount may be dropped to make a bad body.
  const paymentDroppable = (k: string) => k === 'orderId' || k === 'amount';
  for (let i = 0; i < 160; i++) {
    const body = mutate(payment, paymentRequired, paymentDroppable, paymentKey);
    // A fresh order id per case, so a refusal is never just "duplicate order".
    if (body.orderId === payment.orderId) body.orderId = `fuzz-${i}`;
    cases.push({ name: `payments mutated #${i}`, target: 'payments', body: json(body) });
  }
  const structural: Array<[string, Buffer | string, Record<string, string>?]> = [
    ['not JSON', '{bad json'],
    ['empty body', ''],
    ['JSON array', '[1,2,3]'],
    ['JSON string', '"hello"'],
    ['JSON number', '42'],
    ['JSON null', 'null'],
    ['deeply nested', deep(5000)],
    ['deeply nested arrays', '['.repeat(10000) + ']'.repeat(10000)],
    ['huge body', json({ content: 'x'.repeat(2 * 1024 * 1024) })],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('{"content":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]),
    ],
    ['lone surrogate escapes', '{"content":"\\ud800\\udc00\\ud800","amount":1}'],
    ['form content type', 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['text content type', 'hello', { 'content-type': 'text/plain' }],
    ['xml content type', '<a/>', { 'content-type': 'application/xml' }],
    ['no content type', '{"a":1}', { 'content-type': '' }],
    ['multipart', '--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['duplicate keys', '{"amount":1,"amount":"abc"}'],
    ['prototype pollution', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'],
  ];
  for (const target of ['sync', 'payments', 'token'] as const) {
    for (const [name, body, headers] of structural)
      cases.push({ name: `${target} ${name}`, target, body, headers });
  }
  // Authentication edge cases.
  const authCases: Array<[string, Case['target'], Record<string, string>]> = [
    ['no bearer', 'sync', { authorization: '' }],
    ['basic instead of bearer', 'sync', { authorization: 'Basic Zm9vOmJhcg==' }],
    ['garbage bearer', 'sync', { authorization: 'Bearer not.a.jwt' }],
    [
      'foreign-signed bearer',
      'sync',
      { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' },
    ],
    ['alg none bearer', 'sync', { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }],
    ['no basic', 'token', { authorization: '' }],
    ['bad basic', 'token', { authorization: `Basic ${Buffer.from('vietqr:wrong').toString('base64')}` }],
    ['malformed basic', 'token', { authorization: 'Basic !!!' }],
    ['basic without colon', 'token', { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }],
    ['no api key', 'payments', { 'x-api-key': '' }],
    ['unknown api key', 'payments', { 'x-api-key': 'nope-nope-nope-nope-nope' }],
    ['huge api key', 'payments', { 'x-api-key': 'k'.repeat(8000) }],
  ];
  for (const [name, target, headers] of authCases) {
    for (let i = 0; i < 3; i++)
      cases.push({
        name: `${name} #${i}`,
        target,
        headers,
        body: json(target === 'payments' ? payment : credit),
      });
  }
  // Oversized headers (Node refuses them before routing) and bad methods.
  cases.push({
    name: 'oversized header',
    target: 'payments',
    headers: { 'x-junk': 'j'.repeat(20_000) },
    body: json(payment),
  });
  cases.push({ name: 'GET on sync', target: 'sync', method: 'GET' });
  cases.push({ name: 'PUT on payments', target: 'payments', method: 'PUT', body: json(payment) });
  // Payment-specific field errors, one per field, deterministic.
  const fieldErrors: Array<Record<string, unknown>> = [
    { ...payment, orderId: '' },
    { ...payment, orderId: 'o'.repeat(65) },
    { ...payment, amount: 0 },
    { ...payment, amount: 1_000_000_000_000 },
    { ...payment, amount: 10.5 },
    { ...payment, amount: '150000' },
    { ...payment, description: 'd'.repeat(101) },
    { ...payment, expiresInSeconds: 59 },
    { ...payment, expiresInSeconds: 86_401 },
    { ...payment, metadata: [1, 2] },
    { ...payment, metadata: 'str' },
    { ...payment, metadata: { big: 'm'.repeat(5000) } },
    { ...payment, unknownField: 1 },
  ];
  for (const body of fieldErrors)
    cases.push({
      name: `payments field ${Object.keys(body).join(',')}`,
      target: 'payments',
      body: json(body),
    });
  // Transaction-sync field errors, deterministic.
  const syncErrors: Array<Record<string, unknown>> = [
    { ...credit, amount: 0 },
    { ...credit, amount: -5 },
    { ...credit, amount: 10.5 },
    { ...credit, amount: 'abc' },
    { ...credit, amount: 1e13 + 1 },
    { ...credit, amount: '25000.5' },
    { ...credit, transType: 'X' },
    { ...credit, transType: 'c ' },
    { ...credit, bankaccount: undefined },
    { ...credit, content: undefined },
    { ...credit, referencenumber: undefined, transactionid: undefined },
    { ...credit, content: 'c'.repeat(5000) },
    { ...credit, bankaccount: 'b'.repeat(200) },
    { ...credit, referencenumber: 'r'.repeat(500) },
    { ...credit, bankaccount: { nested: true } },
    { ...credit, content: ['a'] },
  ];
  for (const body of syncErrors)
    cases.push({ name: `sync field ${JSON.stringify(body).slice(0, 40)}`, target: 'sync', body: json(body) });
  return cases;
}

function send(
  port: number,
  path: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        // A fresh connection per case: the server closes one after refusing oversized headers.
        agent: false,
        headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== '')),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer (413) and close before the body is all written: read its answer off a raw socket.
      if ((error.code === 'EPIPE' || error.code === 'ECONNRESET') && body !== undefined)
        sendRaw(port, path, method, headers, body).then(resolve, (e: unknown) =>
          resolve({ status: 0, body: String(e) }),
        );
      else resolve({ status: 0, body: String(error) });
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The same request over a plain socket, keeping whatever the server answered even if it closed early. */
function sendRaw(
  port: number,
  path: string,
  method: string,
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const head = Object.entries({ host: '127.0.0.1', connection: 'close', ...headers })
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`${method} ${path} HTTP/1.1\r\n${head}content-length: ${payload.length}\r\n\r\n`);
    // As a client waiting for 100-continue would: give the server time to refuse on the headers alone, so
    // the answer is read before an unread body makes the server's close a reset that discards it.
    let sent = false;
    const sendBody = () => {
      if (sent) return;
      sent = true;
      socket.end(payload);
    };
    socket.once('data', sendBody);
    setTimeout(sendBody, 1000).unref();
  });
}

function envelopeProblem(target: Case['target'], outcome: Outcome): string | null {
  if (outcome.status < 400 || outcome.status >= 500)
    return `status ${outcome.status}${outcome.status === 0 ? ` (${outcome.body})` : ''}`;
  if (outcome.status === 431) return null; // Node refuses oversized headers before any route is chosen
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(outcome.body) as Record<string, unknown>;
  } catch {
    return `body is not JSON: ${outcome.body.slice(0, 80)}`;
  }
  if (target === 'payments') {
    return typeof body.code === 'string' &&
      typeof body.message === 'string' &&
      typeof body.requestId === 'string'
      ? null
      : `not {code,message,requestId}: ${outcome.body.slice(0, 120)}`;
  }
  const object = body.object as Record<string, unknown> | null | undefined;
  return body.error === true &&
    typeof body.errorReason === 'string' &&
    typeof body.toastMessage === 'string' &&
    object &&
    object.reftransactionid === ''
    ? null
    : `not VietQR's error envelope: ${outcome.body.slice(0, 120)}`;
}

async function countRows(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables: string[] = (
      await client.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migration'`,
      )
    ).rows.map((r: { tablename: string }) => r.tablename);
    const counts: Record<string, number> = {};
    for (const table of tables)
      counts[table] = Number((await client.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
    return counts;
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const server = requireEnv('FUZZ_DATABASE_URL');
  const db = await freshDatabase(server, 'vqg_fuzz');
  const port = await freePort();
  const service = await startService(serviceEnv(db.url, port));
  try {
    const token = await partnerToken(service.url);
    const before = await countRows(db.url);
    const cases = buildCases();
    const failures: string[] = [];
    const byStatus = new Map<number, number>();
    for (const c of cases) {
      const path =
        c.target === 'token'
          ? '/vqr/api/token_generate'
          : c.target === 'sync'
            ? '/vqr/bank/api/transaction-sync'
            : '/api/v1/payments';
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...(c.target === 'sync' ? { authorization: `Bearer ${token}` } : {}),
        ...(c.target === 'payments' ? { 'x-api-key': API_KEY } : {}),
        ...(c.target === 'token' ? { authorization: 'Basic Zm9vOmJhcg==' } : {}),
        ...c.headers,
      };
      const outcome = await send(port, path, c.method ?? 'POST', headers, c.body);
      byStatus.set(outcome.status, (byStatus.get(outcome.status) ?? 0) + 1);
      const problem = envelopeProblem(c.target, outcome);
      if (problem) failures.push(`${c.name}: ${problem}`);
      if (service.child.exitCode !== null) {
        failures.push(`service died after case "${c.name}"`);
        break;
      }
    }
    const after = await countRows(db.url);
    const alive = (await fetch(`${service.url}/health/ready`).catch(() => null))?.status === 200;
    const written = Object.keys(after).filter((t) => after[t] !== before[t] && t !== 'outbox_event');
    if (!alive) failures.push('service is not ready after the campaign');
    for (const t of written)
      failures.push(`rows written to ${t} for rejected input: ${before[t]} -> ${after[t]}`);
    // Valid money with odd text, after the row count of the bad requests (it writes rows on purpose).
    const text = await runTextCampaign(service.url, token, db.url, rand);
    failures.push(...text.failures);
    const statuses = [...byStatus.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    process.stdout.write(
      `fuzz: ${cases.length} bad requests, statuses ${statuses}; ${text.cases} odd-text and re-spelt ` +
        `requests; account ${BANK_ACCOUNT}\n`,
    );
    if (failures.length > 0) {
      process.stdout.write(
        `fuzz FAILED (${failures.length}):\n${failures
          .slice(0, 40)
          .map((f) => `  - ${f}`)
          .join('\n')}\n`,
      );
      return 1;
    }
    process.stdout.write(
      `fuzz passed: every bad request a 4xx in its envelope, no 5xx, service up, no rows written; ` +
        `every odd-text transfer recorded once, re-spellings recognised\n`,
    );
    return 0;
  } finally {
    await service.stop();
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
