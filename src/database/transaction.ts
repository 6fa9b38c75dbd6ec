import pg from 'pg';
import { preparedName } from './prepared-sql.js';
import { checkRow, type RowStatement, statementFor, statementsOf } from './row-writes.js';

/** Runs one SQL statement: a TypeORM DataSource or EntityManager, or a pipelined Transaction. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors EntityManager.query
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T>;
}

type Corkable = { cork?: () => void; uncork?: () => void };

/** A row handed to gather, waiting for its kind's statement. */
interface GatheredRow {
  values: unknown[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Writes one row of a kind (row-writes.ts): gathered with the other rows of its kind on a Transaction,
 * sent alone on any other runner (the same statement with one row).
 */
export function writeRow(db: SqlRunner, write: RowStatement, values: unknown[]): Promise<void> {
  if (db instanceof Transaction) return db.gather(write, values);
  checkRow(write, values);
  return db.query(...statementFor(write, [values])).then(() => undefined);
}

/**
 * A database transaction on one pooled connection that sends each statement at once, without waiting for
 * the answers to earlier ones (the pool's connections are in pg's pipeline mode). Statements run in call
 * order. A write whose result the caller does not need is handed to `later` and travels with the COMMIT:
 * the commit waits for every statement sent and every handed-over write, and fails, with the transaction
 * rolled back, if any failed.
 *
 * Once the work function has returned (or the transaction has ended) the transaction is sealed: a statement
 * issued then throws at once and is never sent, so it cannot run outside the transaction it was written for
 * or on a connection already handed to someone else. The refusal fails the transaction when the COMMIT is
 * not yet on its way; when it is, the commit still reports the refusal, so such a write is never lost quietly.
 */
export class Transaction implements SqlRunner {
  private readonly sent: Array<Promise<unknown>> = [];
  /** Rows handed to gather and not sent yet, by kind, in the order each kind first came. */
  private readonly gathered = new Map<RowStatement, GatheredRow[]>();
  private corked = false;
  private state: 'open' | 'sealed' | 'over' = 'open';
  /** The first failure known before the answers: a refused statement, a handed-over write that failed. */
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly named: boolean,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors EntityManager.query
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    if (this.state !== 'open') throw this.refuse(sql);
    // Rows gathered so far leave first: every statement still runs after the writes issued before it.
    this.sendGathered();
    return this.send<T>(sql, parameters);
  }

  /**
   * Hands over one row of a kind of write (row-writes.ts). The rows of each kind handed over in the same
   * turn of the event loop leave as one statement: at the end of that turn, before the next statement this
   * transaction sends, or when the work returns, whichever comes first. So writes keep their order against
   * every other statement; only rows of different kinds may be sent in another order than they came (so
   * no kind may depend on another's rows: no foreign key or trigger between their tables). The
   * promise settles with that statement; like a query's, its failure fails the commit.
   */
  gather(write: RowStatement, values: unknown[]): Promise<void> {
    if (this.state !== 'open') throw this.refuse(write.one);
    checkRow(write, values);
    if (this.gathered.size === 0) process.nextTick(() => this.state === 'open' && this.sendGathered());
    const done = new Promise<void>((resolve, reject) => {
      const rows = this.gathered.get(write);
      if (rows) rows.push({ values, resolve, reject });
      else this.gathered.set(write, [{ values, resolve, reject }]);
    });
    // The statement is tracked and reports its failure; a caller need not also handle this promise's.
    done.catch(() => undefined);
    return done;
  }

  /**
   * The one way to send a write whose answer nobody waits for: its promise is part of the transaction, and
   * its failure (the statement's, or anything before the statement was sent) fails the commit.
   */
  later(write: Promise<unknown>): void {
    this.track(write, true);
  }

  /** @internal Called when the work function has returned: from now on statements are refused. */
  seal(): void {
    if (this.state !== 'open') return;
    this.sendGathered();
    this.state = 'sealed';
  }

  /** @internal Commits; throws the first failure when the transaction could not commit. */
  async commit(): Promise<void> {
    this.seal();
    // One tick: every statement sent has been either sent or refused by pg (see send()).
    await new Promise<void>((resolve) => process.nextTick(resolve));
    this.throwFailure();
    const commit = this.client.query('COMMIT');
    const settled = await Promise.allSettled([...this.sent, commit]);
    this.state = 'over';
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    // A write refused after the COMMIT left: the transaction committed without it, which must not pass.
    this.throwFailure();
    const tag = (settled[settled.length - 1] as PromiseFulfilledResult<pg.QueryResult>).value.command;
    // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
    if (tag !== 'COMMIT') throw new Error(`transaction ended with ${tag} instead of COMMIT`);
  }

  /** @internal Rolls back after every statement sent has settled; false when the connection is unusable. */
  async rollback(): Promise<boolean> {
    // Rows not sent yet are dropped, not sent: nothing of this transaction is kept.
    for (const rows of this.gathered.values()) {
      for (const row of rows) row.reject(new Error('not sent: the transaction rolled back'));
    }
    this.gathered.clear();
    this.seal();
    await Promise.allSettled(this.sent);
    this.state = 'over';
    try {
      await this.client.query('ROLLBACK');
      return true;
    } catch {
      return false;
    }
  }

  private send<T>(sql: string, parameters: unknown[] | undefined): Promise<T> {
    this.coalesceWrites();
    const answer = this.client.query(statement(sql, parameters, this.named));
    // A statement pg cannot send (a parameter it cannot serialise) never reaches PostgreSQL, whose
    // transaction would commit without it; pg says so on the next tick, before commit() sends COMMIT.
    answer.catch((error: unknown) => {
      if (!(error instanceof pg.DatabaseError)) this.failure ??= { error };
    });
    const result = answer.then((r) => r.rows as T);
    // Every statement is settled before commit or rollback; its failure is reported there.
    this.track(result, false);
    return result;
  }

  /** Sends each kind's gathered rows as one statement (see gather). */
  private sendGathered(): void {
    if (this.gathered.size === 0) return;
    const kinds = [...this.gathered];
    this.gathered.clear();
    for (const [write, gathered] of kinds) {
      for (const rows of statementsOf(write, gathered)) {
        const fail = (error: unknown) => rows.forEach((r) => r.reject(error));
        try {
          const values = rows.map((r) => r.values);
          const [sql, parameters] = statementFor(write, values);
          this.send(sql, parameters).then(() => rows.forEach((r) => r.resolve()), fail);
        } catch (error) {
          // Never left unsettled (a rollback waits for every row) nor thrown from the end-of-turn send.
          this.failure ??= { error };
          fail(error);
        }
      }
    }
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure.error;
  }

  private track(write: Promise<unknown>, reportable: boolean): void {
    this.sent.push(write);
    write.catch((error: unknown) => {
      // A statement's own failure is PostgreSQL's to report (the transaction is aborted); a handed-over
      // write may fail in JavaScript before any statement, which only this flag can see.
      if (reportable) this.failure ??= { error };
    });
  }

  private refuse(sql: string): Error {
    const when =
      this.state === 'sealed' ? "after the transaction's work returned" : 'after the transaction is over';
    const error = new Error(
      `Statement refused: issued ${when} (the transaction is over for it): ${sql.trim().slice(0, 60)}`,
    );
    this.failure ??= { error };
    return error;
  }

  // Statements issued in the same tick leave in one socket write instead of one each.
  private coalesceWrites(): void {
    const stream = (this.client as unknown as { connection?: { stream?: Corkable } }).connection?.stream;
    if (this.corked || !stream?.cork || !stream.uncork) return;
    this.corked = true;
    stream.cork();
    process.nextTick(() => {
      this.corked = false;
      stream.uncork!();
    });
  }
}

/** A statement for pg: by name when it is marked prepared (prepared-sql.ts) and names are on. */
export function statement(sql: string, values: unknown[] | undefined, named: boolean): pg.QueryConfig {
  return { text: sql, values, name: named ? preparedName(sql) : undefined };
}
