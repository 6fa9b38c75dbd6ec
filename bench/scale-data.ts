// The generated data of npm run bench:scale: one API client's payments, the ledger (bank_transaction), the
// links, the history, the outbox events and their webhook deliveries. Every attribute of row i is a function
// of i (and the generation's tag), so each table's COPY stream is made on its own and still agrees with the
// others: a link names the ledger row and the payment that the other streams make with the same ids.
import { randomBytes } from 'node:crypto';

export interface DataSpec {
  /** Keeps the ids, codes and references of two generations in one database apart (1..63). */
  tag: number;
  /** Payments before the last hour, in the mix of a running shop. */
  historical: number;
  /** The newest payments, PENDING until tomorrow: what the bench's credits pay. */
  pending: number;
  /** bank_transaction rows in all (about 90% links to payments, the rest for the review queue and debits). */
  ledger: number;
  spanDays: number;
  clientId: string;
  endpointId: string;
  bankAccount: string;
  now: number;
}

export type PaymentStatus = 'PENDING' | 'PAID' | 'OVERPAID' | 'EXPIRED' | 'CANCELLED';
export type LedgerStatus = 'linked' | 'late' | 'unmatched' | 'ignored_debit' | 'conflict' | 'dismissed';

export interface Payment {
  index: number;
  id: string;
  code: string;
  orderId: string;
  amount: number;
  amountPaid: number;
  status: PaymentStatus;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  traceId: string | null;
  /** Its links, in arrival order (late money comes as ledger rows of their own). */
  links: Array<{ counter: number; amount: number; at: number }>;
}

export interface LedgerRow {
  counter: number;
  id: string;
  reference: string;
  amount: number;
  content: string;
  transType: 'C' | 'D';
  status: LedgerStatus;
  receivedAt: number;
  payment: Payment | null;
  conflictOf: string | null;
}

export type Event = { kind: 'payment'; p: Payment } | { kind: 'ledger'; t: LedgerRow };

const HOUR = 3_600_000;
const MINUTE = 60_000;

// murmur3's finaliser: a bijection on 32 bits, so mix(i ^ k) never repeats for distinct i.
export function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A uniform draw in [0, 1) for (i, salt). */
export function unit(i: number, salt: number): number {
  return mix((i ^ Math.imul(salt, 0x9e3779b9)) >>> 0) / 2 ** 32;
}

const BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (n: number) => BYTE[n >>> 24] + BYTE[(n >>> 16) & 255] + BYTE[(n >>> 8) & 255] + BYTE[n & 255];

/**
 * A UUIDv7 as the service makes them (src/database/row-id.ts): the row's time in its first 48 bits, so ids
 * sort as the rows were made, and before any the service makes during the bench. Unique per (table, tag, i):
 * its random-looking rest holds the tag, the table and a bijection of i.
 */
export function uuidOf(table: number, tag: number, i: number, atMs: number): string {
  const ms = Math.floor(atMs).toString(16).padStart(12, '0');
  const a = hex8(mix((i ^ Math.imul(table, 0x27d4eb2f)) >>> 0));
  const b = hex8(mix((i ^ 0x165667b1) >>> 0));
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${BYTE[tag & 63]}${(table & 15).toString(16)}-a${b.slice(0, 3)}-${a}${b.slice(3, 7)}`;
}

export const TABLE = { payment: 1, ledger: 2, event: 3, delivery: 4, attempt: 5 } as const;

function codeOf(tag: number, i: number): string {
  // 32 mixed bits and the tag: below 36^10, unique, and the look of a random code.
  return `PAY${(mix((i ^ 0x5bd1e995) >>> 0) * 64 + tag).toString(36).toUpperCase().padStart(10, '0')}`;
}

/** What the walk lays out: how many links a paid payment gets, and how many other ledger rows follow each. */
export interface Layout {
  maxLinks: number;
  othersPerPayment: number;
}

function paymentAt(spec: DataSpec, layout: Layout, i: number, nextCounter: number): Payment {
  const pending = i >= spec.historical;
  const span = spec.spanDays * 24 * HOUR;
  const createdAt = Math.floor(
    pending
      ? spec.now - HOUR + ((i - spec.historical + unit(i, 1)) * HOUR) / Math.max(1, spec.pending)
      : spec.now - span + ((i + unit(i, 1)) * (span - HOUR)) / Math.max(1, spec.historical),
  );
  const amount = (10 + Math.floor(unit(i, 2) * 990)) * 1000;
  const u = unit(i, 3);
  const status: PaymentStatus = pending
    ? 'PENDING'
    : u < 0.62
      ? 'PAID'
      : u < 0.63
        ? 'OVERPAID'
        : u < 0.94
          ? 'EXPIRED'
          : 'CANCELLED';
  const expiresAt = pending ? spec.now + 24 * HOUR : createdAt + 15 * MINUTE;
  let total = 0;
  let k = 0;
  if (status === 'PAID' || status === 'OVERPAID') {
    k = 1 + Math.floor(unit(i, 4) * layout.maxLinks);
    total = status === 'PAID' ? amount : amount + 10_000;
  } else if (status === 'EXPIRED' && unit(i, 4) < 0.05) {
    k = 1;
    total = amount / 2;
  }
  const code = codeOf(spec.tag, i);
  const links = Array.from({ length: k }, (_, j) => {
    const part = Math.floor(total / k);
    return {
      counter: nextCounter + j,
      amount: j === k - 1 ? total - part * (k - 1) : part,
      at: createdAt + Math.floor(((j + 1) * 12 * MINUTE) / (k + 1)),
    };
  });
  const closedAt = status === 'EXPIRED' ? expiresAt : status === 'CANCELLED' ? createdAt + 5 * MINUTE : null;
  return {
    index: i,
    id: uuidOf(TABLE.payment, spec.tag, i, createdAt),
    code,
    orderId: `gen${spec.tag}-${i}`,
    amount,
    amountPaid: total,
    status,
    createdAt,
    updatedAt: closedAt ?? (links.length > 0 ? links[links.length - 1].at : createdAt),
    expiresAt,
    traceId: !pending && unit(i, 5) < 0.7 ? `VQR${code.slice(3)}` : null,
    links,
  };
}

/** Links per paid payment such that about 90% of the ledger links to payments. */
export function layoutOf(spec: DataSpec): Layout {
  const paid = spec.historical * (0.63 + 0.31 * 0.05);
  const mean = Math.max(1, (spec.ledger * 0.9) / Math.max(1, paid));
  const maxLinks = Math.max(1, Math.round(2 * mean - 1));
  // The links, counted as the walk will lay them out; the rest of the ledger is shared out after each payment.
  let links = 0;
  for (let i = 0; i < spec.historical; i++)
    links += paymentAt(spec, { maxLinks, othersPerPayment: 0 }, i, 0).links.length;
  return { maxLinks, othersPerPayment: Math.max(0, spec.ledger - links) / Math.max(1, spec.historical) };
}

function otherStatus(o: number): LedgerStatus {
  const u = unit(o, 7);
  return u < 0.25
    ? 'unmatched'
    : u < 0.7
      ? 'ignored_debit'
      : u < 0.85
        ? 'late'
        : u < 0.95
          ? 'dismissed'
          : 'conflict';
}

export const referenceOf = (tag: number, counter: number) => `FT${tag}${String(counter).padStart(12, '0')}`;

const linkContent = (p: Payment) => `${p.code} thanh toan don hang`;

/**
 * Every payment, then its links and the other ledger rows of the time after it, in time order. Ledger rows
 * whose status `wanted` refuses are counted but not made (a stream of payments needs none of them).
 */
export function* walk(
  spec: DataSpec,
  layout: Layout,
  wanted: (status: LedgerStatus) => boolean = () => true,
): Generator<Event> {
  let counter = 0;
  let others = 0;
  let owed = 0;
  let lastExpired: Payment | null = null;
  let lastLinked: { counter: number; amount: number; at: number; p: Payment } | null = null;
  let lastConflicted = -1;
  const row = (
    amount: number,
    content: string,
    transType: 'C' | 'D',
    status: LedgerStatus,
    receivedAt: number,
    payment: Payment | null,
    original: { counter: number; at: number } | null = null,
  ): Event => ({
    kind: 'ledger',
    t: {
      counter,
      id: uuidOf(TABLE.ledger, spec.tag, counter, receivedAt),
      reference: referenceOf(spec.tag, original?.counter ?? counter),
      amount,
      content,
      transType,
      status,
      receivedAt,
      payment,
      conflictOf: original === null ? null : uuidOf(TABLE.ledger, spec.tag, original.counter, original.at),
    },
  });
  const links = wanted('linked');
  const total = spec.historical + spec.pending;
  for (let i = 0; i < total; i++) {
    const p = paymentAt(spec, layout, i, counter);
    yield { kind: 'payment', p };
    // A paid payment's links always come (layoutOf leaves room for them); the other rows fill up to the size.
    for (const link of p.links) {
      if (links) yield row(link.amount, linkContent(p), 'C', 'linked', link.at, p);
      lastLinked = { counter: link.counter, amount: link.amount, at: link.at, p };
      counter++;
    }
    if (p.status === 'EXPIRED') lastExpired = p;
    if (i >= spec.historical) continue;
    owed += layout.othersPerPayment;
    for (; owed >= 1 && counter < spec.ledger; owed--, counter++) {
      let status = otherStatus(others);
      const at = p.createdAt + Math.floor(unit(others++, 8) * 20 * MINUTE);
      if (status === 'late' && !lastExpired) status = 'unmatched';
      if (status === 'conflict' && (!lastLinked || lastLinked.counter === lastConflicted))
        status = 'unmatched';
      if (status === 'conflict') lastConflicted = lastLinked!.counter;
      if (!wanted(status)) continue;
      const amount = (1 + Math.floor(unit(counter, 9) * 500)) * 1000;
      if (status === 'conflict') {
        const { amount: was, p: paid } = lastLinked!;
        yield row(was + 1000, `${linkContent(paid)} (sua)`, 'C', status, at, null, lastLinked);
      } else if (status === 'late') {
        yield row(amount, `${lastExpired!.code} chuyen khoan muon`, 'C', status, at, lastExpired);
      } else {
        const debit = status === 'ignored_debit';
        const content = debit ? `TT hoa don ${counter}` : `chuyen tien ${counter} ung ho`;
        yield row(amount, content, debit ? 'D' : 'C', status, at, null);
      }
    }
  }
}

/** Payment indexes spread over the generation whose payment matches `want` (e.g. PAID with one link). */
export function samplePayments(
  spec: DataSpec,
  layout: Layout,
  n: number,
  want: (p: Payment) => boolean,
): Payment[] {
  const out: Payment[] = [];
  const total = spec.historical + spec.pending;
  for (let k = 0; k < total * 4 && out.length < n; k++) {
    const p = paymentAt(spec, layout, Math.floor(unit(k, 11) * total), 0);
    if (want(p) && !out.some((x) => x.index === p.index)) out.push(p);
  }
  return out;
}

export function paymentOf(spec: DataSpec, layout: Layout, i: number): Payment {
  return paymentAt(spec, layout, i, 0);
}

// 32 random bytes each, base64url (43 characters), as the column's default makes them; drawn in bulk.
let pool = Buffer.alloc(0);
let used = 0;
export const checkoutToken = () => {
  if (used + 32 > pool.length) {
    pool = randomBytes(32 * 4096);
    used = 0;
  }
  used += 32;
  return pool.subarray(used - 32, used).toString('base64url');
};
