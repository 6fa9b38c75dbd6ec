// The plans of the hot statements on the loaded database. The statements are not copied by hand: an
// in-process app (same code, same database) serves each measured request, and runs its background work on
// short intervals, while pg's queries are recorded (sql-replay.ts); every distinct statement is then
// EXPLAINed with the values it was sent with, as the service's unnamed statements are planned.
import pg from 'pg';
import { freePort, sleep } from './lib.js';
import { record, RecordedStatement } from './sql-replay.js';

/**
 * Tables whose size grows with the shop's history. A plan fails the bench when it reads one sequentially,
 * or reads all of many of its rows before answering (a bitmap scan or a sort of them: a page that costs
 * more every year even though it uses an index).
 */
export const LARGE_TABLES = [
  'payment',
  'payment_history',
  'payment_transaction',
  'bank_transaction',
  'outbox_event',
  'webhook_delivery',
  'webhook_attempt',
  'reconcile_check',
];
// Below this many rows a sequential scan is what the planner should pick (an empty webhook_attempt); a
// bitmap scan or sort estimated at this many rows of a large table reads too much for a hot statement.
const LARGE_ROWS = 10_000;

export interface Recorded {
  label: string;
  text: string;
  values: unknown[];
}

export interface PlanCheck {
  label: string;
  sql: string;
  /** What is wrong with the plan: 'Seq Scan on payment', 'Sort of ~125000 rows of bank_transaction'. */
  problems: string[];
  plan: string;
}

/** Records what an in-process app runs for each request, and for its background work over `idleMs`. */
export async function recordHotStatements(
  env: Record<string, string>,
  requests: Array<{ label: string; send: (base: string) => Promise<void> }>,
  idleMs: number,
): Promise<Recorded[]> {
  const { createApp } = await import('../src/app.factory.js');
  const { loadConfig } = await import('../src/config/app-config.js');
  const port = await freePort();
  // Background statements once; a request's own statements once per request (the review queue's page of
  // one status and of the default three are the same text with other values).
  const background = new Set<string>();
  const seen = new Set<string>();
  const out: Recorded[] = [];
  const keep = (label: string, statements: RecordedStatement[]) => {
    for (const s of statements) {
      const key = label === 'start-up' || label === 'background' ? s.text : `${label}\n${s.text}`;
      if (
        !/^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b/i.test(s.text) ||
        background.has(s.text) ||
        seen.has(key)
      ) {
        continue;
      }
      // TypeORM's own look at its migrations table at start-up.
      if (/information_schema|schema_migration/.test(s.text)) continue;
      seen.add(key);
      if (key === s.text) background.add(s.text);
      out.push({ label, text: s.text, values: s.values });
    }
  };
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  // The start-up is recorded too: the reconciliation planner's first pass runs then.
  const startup = await record(async () => {
    app = await createApp(
      loadConfig({
        ...env,
        PORT: String(port),
        PUBLIC_BASE_URL: `https://gateway-${port}.bench.invalid`,
        LOG_LEVEL: 'silent',
        // Every background loop runs several times while recording.
        WEBHOOK_DISPATCH_INTERVAL_MS: '50',
        PAYMENT_SWEEP_INTERVAL_MS: '100',
        REFUND_WORKER_INTERVAL_MS: '50',
        RECONCILE_ENABLED: 'true',
        RECONCILE_POLL_INTERVAL_MS: '50',
      }),
    );
    await app.listen({ port, host: '127.0.0.1' });
    await sleep(500);
  });
  keep('start-up', startup);
  const base = `http://127.0.0.1:${port}`;
  try {
    keep('background', await record(() => sleep(idleMs)));
    for (const r of requests) {
      await r.send(base); // warm-up: caches (API key, token) fill here, not in the recording
      keep(r.label, await record(() => r.send(base)));
    }
  } finally {
    await app?.close();
  }
  return out;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows': number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

const relationsOf = (node: PlanNode): string[] => [
  ...(node['Relation Name'] ? [node['Relation Name']] : []),
  ...(node.Plans ?? []).flatMap(relationsOf),
];

/** Rows a node read: measured when the statement was run (ANALYZE), else the planner's estimate. */
function rowsOf(node: PlanNode): number {
  if (node['Actual Rows'] === undefined) return node['Plan Rows'];
  const kept =
    node['Actual Rows'] +
    (node['Rows Removed by Filter'] ?? 0) +
    (node['Rows Removed by Index Recheck'] ?? 0);
  return Math.round(kept * (node['Actual Loops'] ?? 1));
}

function problemsOf(node: PlanNode, large: Set<string>): string[] {
  const type = node['Node Type'];
  const relation = node['Relation Name'] ?? '';
  const measured = node['Actual Rows'] !== undefined;
  const here: string[] = [];
  if (type === 'Seq Scan' && large.has(relation)) here.push(`Seq Scan on ${relation}`);
  // Measured, every scan counts; estimated, only those that cannot stop early (an index scan under a
  // LIMIT is estimated as if it read every match).
  const full = type === 'Bitmap Heap Scan' || measured;
  if (type !== 'Seq Scan' && large.has(relation) && full && rowsOf(node) >= LARGE_ROWS) {
    here.push(`${type} reads ${measured ? '' : '~'}${rowsOf(node)} rows of ${relation}`);
  }
  const input = node.Plans?.[0];
  const from = input ? relationsOf(input).filter((r) => large.has(r)) : [];
  if (type === 'Sort' && input && rowsOf(input) >= LARGE_ROWS && from.length > 0) {
    here.push(`Sort of ${measured ? '' : '~'}${rowsOf(input)} rows of ${[...new Set(from)].join(', ')}`);
  }
  return [...here, ...(node.Plans ?? []).flatMap((child) => problemsOf(child, large))];
}

// A statement that only reads is run (EXPLAIN ANALYZE, in a transaction rolled back): the planner's
// estimates can be far off (a status list repeated beside = ANY makes it count 20 times too few rows).
// The one-trip credit's lock is not: the row it expects has been written since, so run it would raise.
const readsOnly = (sql: string) =>
  /^\s*SELECT\b/i.test(sql) && !/pg_advisory|pg_notify|expect_unchanged/.test(sql);

async function explain(client: pg.Client, s: Recorded, format: 'JSON' | 'TEXT') {
  const options = `${readsOnly(s.text) ? 'ANALYZE, ' : ''}FORMAT ${format}`;
  await client.query('BEGIN');
  try {
    return (await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${options}) ${s.text}`, s.values)).rows;
  } finally {
    await client.query('ROLLBACK');
  }
}

/** EXPLAINs each statement with its recorded values, and says what is wrong with its plan. */
export async function explainAll(url: string, statements: Recorded[]): Promise<PlanCheck[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sizes = await client.query<{ name: string; rows: number }>(
      `SELECT relname AS name, reltuples AS rows FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname = ANY($1)`,
      [LARGE_TABLES],
    );
    const large = new Set(sizes.rows.filter((r) => r.rows >= LARGE_ROWS).map((r) => r.name));
    const checks: PlanCheck[] = [];
    for (const s of statements) {
      const [json] = (await explain(client, s, 'JSON')) as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
      const text = (await explain(client, s, 'TEXT')) as Array<{ 'QUERY PLAN': string }>;
      checks.push({
        label: s.label,
        sql: s.text.replace(/\s+/g, ' ').trim(),
        problems: problemsOf(json['QUERY PLAN'][0].Plan, large),
        plan: text.map((r) => r['QUERY PLAN']).join('\n'),
      });
    }
    return checks;
  } finally {
    await client.end();
  }
}
