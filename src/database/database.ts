import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { type SqlRunner, statement, Transaction } from './transaction.js';

/** Whether statements marked by prepared() are prepared by name (DB_PREPARED_STATEMENTS). */
export const PREPARED_STATEMENTS = Symbol('PREPARED_STATEMENTS');

export { type SqlRunner, Transaction, writeRow } from './transaction.js';

/**
 * Plain SQL on the pool TypeORM opened (same connections, same settings), without TypeORM's per-statement
 * query runner: single statements, and pipelined transactions.
 */
@Injectable()
export class Database implements SqlRunner, OnModuleInit {
  private readonly pool: pg.Pool;
  /**
   * Statements marked by prepared() go by name, unless DB_PREPARED_STATEMENTS=false (a pooler that does
   * not keep them per client) or on the embedded database: its socket server runs every connection in ONE
   * PostgreSQL session, where a name prepared by one connection already exists for the next.
   */
  private named = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Optional() @Inject(PREPARED_STATEMENTS) private readonly preparedStatements: boolean = true,
  ) {
    this.pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  }

  async onModuleInit(): Promise<void> {
    if (!this.preparedStatements) return;
    const { rows } = await this.pool.query<{ version: string }>('SELECT version()');
    this.named = !/PGlite/i.test(rows[0]?.version ?? 'PGlite');
  }

  /** One statement in its own implicit transaction. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mirrors EntityManager.query
  async query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    return (await this.pool.query(statement(sql, parameters, this.named))).rows as T;
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no error listener of the pool's: a connection lost mid-transaction would
    // otherwise be an unhandled 'error' event (a crash). Its statements fail, and that is reported instead.
    const onLost = () => undefined;
    client.on('error', onLost);
    const tx = new Transaction(client, this.named);
    let usable = true;
    try {
      tx.later(tx.query('BEGIN')); // travels with the first statement
      const result = await work(tx);
      tx.seal();
      await tx.commit();
      return result;
    } catch (error) {
      usable = await tx.rollback();
      throw error;
    } finally {
      client.off('error', onLost);
      // A connection whose state is unknown is closed rather than handed to the next caller.
      client.release(usable ? undefined : true);
    }
  }

  /**
   * Reads a query's rows through a server-side cursor (DECLARE/FETCH) in a read-only snapshot on one pooled
   * connection, `batchSize` rows at a time: memory holds one batch however many rows match. Each batch is
   * handed to `onBatch`, whose promise paces the next FETCH (a slow reader slows the reading); it returns
   * false to stop early. Not a Transaction: that keeps every statement's result until it commits.
   */
  async readCursor<T>(
    sql: string,
    parameters: unknown[],
    batchSize: number,
    onBatch: (rows: T[]) => Promise<boolean>,
  ): Promise<void> {
    const client = await this.pool.connect();
    // As in transaction(): a connection lost mid-read fails the read instead of crashing the process.
    const onLost = () => undefined;
    client.on('error', onLost);
    let usable = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await client.query(`DECLARE read_cursor NO SCROLL CURSOR FOR ${sql}`, parameters);
      for (;;) {
        const { rows } = await client.query(`FETCH ${Math.trunc(batchSize)} FROM read_cursor`);
        if (rows.length === 0 || !(await onBatch(rows as T[]))) break;
      }
      await client.query('COMMIT');
      usable = true;
    } catch (error) {
      usable = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      throw error;
    } finally {
      client.off('error', onLost);
      client.release(usable ? undefined : true);
    }
  }
}
