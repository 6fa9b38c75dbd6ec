// The benchmark's "limit": the SQL statements an endpoint executes, issued straight through pg with no HTTP.
// The statements are not copied by hand: an in-process app serves two sample requests while pg's
// Client.prototype.query is wrapped, so each request's statements and results are recorded. Replaying them then
// needs per-iteration values: a parameter is classified by comparing the two recordings —
//   - equal to a value of the request (reference, order id...)  -> that value of the new request;
//   - equal to a value an earlier statement returned (ids)       -> what that statement returned this time;
//   - different between the two recordings, otherwise unexplained -> made afresh (random ids, timestamps);
//   - the same in both                                             -> a constant.
// Strings are also searched for embedded mapped values (JSON payloads carrying ids).
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface RecordedStatement {
  text: string;
  /** The name it was prepared under, if any: the replay prepares it the same way. */
  name?: string;
  values: unknown[];
  rows: Array<Record<string, unknown>>;
  /**
   * Statements sent while an earlier one of the same request was still unanswered (pipelined) share its
   * batch: the replay sends them the same way, so the limit makes the same round trips as the endpoint.
   */
  batch: number;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => Promise<pg.QueryResult>;

let recording: RecordedStatement[] | null = null;
let inFlight = 0;
let batch = 0;
let installed = false;

/** Wraps pg's Client.query once; statements are kept only while a recording is open. */
export function installRecorder(): void {
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as unknown as QueryFn;
  (pg.Client.prototype as unknown as { query: QueryFn }).query = function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    const target = recording;
    const [first, second] = args;
    const text = typeof first === 'string' ? first : (first as { text?: string })?.text;
    const values = (
      Array.isArray(second) ? second : ((first as { values?: unknown[] })?.values ?? [])
    ) as unknown[];
    if (!target || !text) return original.apply(this, args);
    if (inFlight === 0) batch++;
    inFlight++;
    const name = typeof first === 'string' ? undefined : (first as { name?: string })?.name;
    const entry: RecordedStatement = { text, name, values: [...values], rows: [], batch };
    target.push(entry);
    const done = (r: pg.QueryResult | undefined) => {
      inFlight--;
      entry.rows = r && !Array.isArray(r) ? (r.rows ?? []) : [];
    };
    // pg-pool's own query() passes a callback; everything else uses the promise.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (error: Error | null, r?: pg.QueryResult) => void;
      args[last] = (error: Error | null, r?: pg.QueryResult) => {
        done(error ? undefined : r);
        callback(error, r);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    void result.then(done, () => done(undefined));
    return result;
  };
}

export async function record(action: () => Promise<void>): Promise<RecordedStatement[]> {
  const statements: RecordedStatement[] = [];
  recording = statements;
  try {
    await action();
  } finally {
    recording = null;
  }
  return statements;
}

type Slot =
  | { kind: 'input'; key: string }
  | { kind: 'result'; statement: number; row: number; column: string }
  | { kind: 'fresh'; shape: FreshShape }
  | { kind: 'constant'; value: unknown }
  /**
   * An array parameter (`= ANY($1)` candidates, a gathered write's column): each element rewritten through
   * the mapped values; one that differs between the recordings and maps to nothing is made afresh.
   */
  | { kind: 'array'; differs: boolean[] };

export interface ReplayPlan {
  statements: Array<{ text: string; name?: string; slots: Slot[]; batch: number }>;
  /** Values of the first recording, for substituting inside strings. */
  sample: { inputs: Record<string, string>; results: RecordedStatement[] };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function findInResults(value: unknown, results: RecordedStatement[], before: number): Slot | null {
  if (value === null || value === undefined || value === '') return null;
  for (let s = 0; s < before; s++) {
    for (let r = 0; r < results[s].rows.length; r++) {
      for (const [column, v] of Object.entries(results[s].rows[r])) {
        // Ids come back as strings or numbers (bigint columns are strings), and are passed on either way.
        const loose =
          (typeof v === 'string' || typeof v === 'number') &&
          (typeof value === 'string' || typeof value === 'number') &&
          `${v}` === `${value}`;
        if (v !== null && (same(v, value) || loose)) return { kind: 'result', statement: s, row: r, column };
      }
    }
  }
  return null;
}

type FreshShape = 'uuid' | 'date' | 'isodate' | 'string' | 'number';

function shapeOf(value: unknown): FreshShape {
  if (value instanceof Date) return 'date';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string' && UUID.test(value)) return 'uuid';
  if (typeof value === 'string' && ISO_DATE.test(value)) return 'isodate';
  return 'string';
}

/** Builds a replay plan from two recordings of the same endpoint with different inputs. */
export function plan(
  a: RecordedStatement[],
  aInputs: Record<string, string>,
  b: RecordedStatement[],
  bInputs: Record<string, string>,
): ReplayPlan {
  if (a.length !== b.length || a.some((s, i) => s.text !== b[i].text)) {
    throw new Error(`the two sample requests ran different statements (${a.length} vs ${b.length})`);
  }
  const firstBatch = a[0]?.batch ?? 0;
  const statements = a.map((statement, i) => ({
    text: statement.text,
    name: statement.name,
    batch: statement.batch - firstBatch,
    slots: statement.values.map((value, p): Slot => {
      const other = b[i].values[p];
      const inputKey = Object.keys(aInputs).find((k) => aInputs[k] === value && bInputs[k] === other);
      if (inputKey) return { kind: 'input', key: inputKey };
      const fromResult = findInResults(
        value,
        a,
        a.findIndex((s) => s.batch === statement.batch),
      );
      if (fromResult && same(findInResults(other, b, i), fromResult)) return fromResult;
      if (same(value, other)) return { kind: 'constant', value };
      if (Array.isArray(value)) {
        const others = Array.isArray(other) ? other : [];
        return { kind: 'array', differs: value.map((element, e) => !same(element, others[e])) };
      }
      return { kind: 'fresh', shape: shapeOf(value) };
    }),
  }));
  return { statements, sample: { inputs: aInputs, results: a } };
}

function freshString(template: string): string {
  // Same length and alphabet class, so CHECK constraints and lengths still hold.
  const alphabet = /^[A-Z0-9]+$/.test(template)
    ? 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
    : 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < template.length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

/** Executes the plan once on one connection with the given inputs. */
export async function replay(
  client: pg.PoolClient,
  replayPlan: ReplayPlan,
  inputs: Record<string, string>,
): Promise<void> {
  const live: Array<Array<Record<string, unknown>>> = [];
  // Recorded string -> its value in this iteration, for strings that embed ids (JSON payloads).
  const substitutions = new Map<string, string>();
  for (const [key, value] of Object.entries(replayPlan.sample.inputs)) substitutions.set(value, inputs[key]);
  const rewrite = (value: unknown): unknown => {
    if (typeof value !== 'string' || value.length < 8) return value;
    let out = value;
    for (const [from, to] of substitutions)
      if (from.length >= 8 && out.includes(from)) out = out.split(from).join(to);
    return out;
  };
  const fresh = (shape: FreshShape, recorded: unknown): unknown =>
    shape === 'uuid'
      ? randomUUID()
      : shape === 'date'
        ? new Date()
        : shape === 'isodate'
          ? new Date().toISOString()
          : shape === 'number'
            ? recorded
            : rewrite(recorded) === recorded
              ? freshString(String(recorded))
              : rewrite(recorded);
  const valuesOf = (i: number): unknown[] => {
    const { slots } = replayPlan.statements[i];
    const recordedValues = replayPlan.sample.results[i].values;
    return slots.map((slot, p) => {
      const recorded = recordedValues[p];
      let value: unknown;
      switch (slot.kind) {
        case 'input':
          value = inputs[slot.key];
          break;
        case 'result':
          value = live[slot.statement]?.[slot.row]?.[slot.column] ?? recorded;
          break;
        case 'constant':
          value = rewrite(slot.value);
          break;
        case 'array':
          value = (recorded as unknown[]).map((element, e) => {
            const mapped = typeof element === 'string' ? substitutions.get(element) : undefined;
            if (mapped !== undefined || !slot.differs[e] || element === null)
              return mapped ?? rewrite(element);
            const made = fresh(shapeOf(element), element);
            if (typeof element === 'string' && typeof made === 'string') substitutions.set(element, made);
            return made;
          });
          break;
        case 'fresh':
          value = fresh(slot.shape, recorded);
          break;
      }
      if (typeof recorded === 'string' && typeof value === 'string' && recorded !== value)
        substitutions.set(recorded, value);
      return value;
    });
  };
  for (let i = 0; i < replayPlan.statements.length;) {
    // One batch: every statement sent before any answer is read, as the endpoint sent them.
    const batchOf = replayPlan.statements[i].batch;
    const members: number[] = [];
    for (; i < replayPlan.statements.length && replayPlan.statements[i].batch === batchOf; i++)
      members.push(i);
    const sent = members.map((m) => {
      const { text, name } = replayPlan.statements[m];
      return client.query({ text, name, values: valuesOf(m) });
    });
    const results = await Promise.all(sent);
    members.forEach((m, k) => {
      live[m] = results[k].rows ?? [];
      replayPlan.sample.results[m].rows.forEach((row, r) => {
        for (const [column, v] of Object.entries(row)) {
          const now = live[m][r]?.[column];
          if (typeof v === 'string' && typeof now === 'string' && v !== now) substitutions.set(v, now);
        }
      });
    });
  }
}
