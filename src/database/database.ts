import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** Runs one SQL statement: a TypeORM DataSource or EntityManager, or a pipelined Transaction. */
export interface SqlRunner {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors EntityManager.query
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T>;
}

type Corkable = { cork?: () => void; uncork?: () => void };

/**
 * A database transaction on one pooled connection that sends each statement at once, without waiting for
 * the answers to earlier ones (the pool's connections are in pg's pipeline mode). Statements run in call
 * order. A write whose result the caller does not need is handed to `later` and travels with the COMMIT:
 * the commit waits for every statement sent and fails, with the transaction rolled back, if any failed.
 */
export class Transaction implements SqlRunner {
  private readonly sent: Array<Promise<unknown>> = [];
  private corked = false;

  constructor(private readonly client: pg.PoolClient) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors EntityManager.query
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    this.coalesceWrites();
    const result = this.client.query(sql, parameters).then((r) => r.rows as T);
    // Every statement is settled before commit or rollback; its failure is reported there.
    this.sent.push(result);
    result.catch(() => undefined);
    return result;
  }

  /** A write sent on this transaction whose outcome the commit checks, so the caller need not wait here. */
  later(write: Promise<unknown>): void {
    write.catch(() => undefined);
  }

  /** @internal Commits; throws the first failed statement's error when the transaction could not commit. */
  async commit(): Promise<void> {
    const commit = this.client.query('COMMIT');
    const settled = await Promise.allSettled([...this.sent, commit]);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const tag = (settled[settled.length - 1] as PromiseFulfilledResult<pg.QueryResult>).value.command;
    // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
    if (tag !== 'COMMIT') throw new Error(`transaction ended with ${tag} instead of COMMIT`);
  }

  /** @internal Rolls back after every statement sent has settled; false when the connection is unusable. */
  async rollback(): Promise<boolean> {
    await Promise.allSettled(this.sent);
    try {
      await this.client.query('ROLLBACK');
      return true;
    } catch {
      return false;
    }
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

/**
 * Plain SQL on the pool TypeORM opened (same connections, same settings), without TypeORM's per-statement
 * query runner: single statements, and pipelined transactions.
 */
@Injectable()
export class Database implements SqlRunner {
  private readonly pool: pg.Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  }

  /** One statement in its own implicit transaction. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors EntityManager.query
  async query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    return (await this.pool.query(sql, parameters)).rows as T;
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx = new Transaction(client);
    let usable = true;
    try {
      tx.later(tx.query('BEGIN')); // travels with the first statement
      const result = await work(tx);
      await tx.commit();
      return result;
    } catch (error) {
      usable = await tx.rollback();
      throw error;
    } finally {
      // A connection whose state is unknown is closed rather than handed to the next caller.
      client.release(usable ? undefined : true);
    }
  }
}
