import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { Database, type Transaction } from '../../src/database/database.js';
import { createMediumModule } from '../support/test-app.js';

// The pipelined transaction is what makes a credit's writes safe to send without waiting: these tests
// show a write nobody awaited still decides whether the transaction commits.
describe(Database.name, () => {
  let moduleRef: TestingModule;
  let db: Database;
  const table = `pipeline_probe_${randomUUID().replace(/-/g, '')}`;
  const rows = async () =>
    (await db.query<Array<{ v: number }>>(`SELECT v FROM ${table} ORDER BY v`)).map((r) => r.v);

  beforeAll(async () => {
    moduleRef = await createMediumModule([]);
    db = moduleRef.get(Database);
    await db.query(`CREATE TABLE ${table} (v int PRIMARY KEY CHECK (v >= 0))`);
  });
  afterEach(async () => {
    await db.query(`DELETE FROM ${table}`);
  });
  afterAll(async () => {
    await db.query(`DROP TABLE ${table}`);
    await moduleRef.close();
  });

  it('commits statements sent without waiting, in call order', async () => {
    const answer = await db.transaction(async (tx) => {
      tx.later(tx.query(`INSERT INTO ${table} VALUES (1)`));
      tx.later(tx.query(`INSERT INTO ${table} VALUES (2)`));
      const [{ n }] = await tx.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ${table}`);
      tx.later(tx.query(`INSERT INTO ${table} VALUES (3)`));
      return Number(n);
    });
    expect(answer).toBe(2);
    expect(await rows()).toEqual([1, 2, 3]);
  });

  it('rolls everything back when a write nobody awaited fails, and reports that failure', async () => {
    await expect(
      db.transaction(async (tx) => {
        tx.later(tx.query(`INSERT INTO ${table} VALUES (1)`));
        tx.later(tx.query(`INSERT INTO ${table} VALUES (-1)`));
        tx.later(tx.query(`INSERT INTO ${table} VALUES (2)`));
        return 'done';
      }),
    ).rejects.toMatchObject({ code: '23514' });
    expect(await rows()).toEqual([]);
  });

  it('rolls back when the work throws, after its statements in flight have settled', async () => {
    await expect(
      db.transaction(async (tx) => {
        tx.later(tx.query(`INSERT INTO ${table} VALUES (1)`));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await rows()).toEqual([]);
  });

  it('hands back connections that work: many failed transactions leave the pool usable', async () => {
    const failing = Array.from({ length: 30 }, (_, i) =>
      db.transaction(async (tx) => {
        tx.later(tx.query(`INSERT INTO ${table} VALUES (${i})`));
        await tx.query(`SELECT 1/0`);
      }),
    );
    const results = await Promise.allSettled(failing);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await db.transaction(async (tx) => {
      tx.later(tx.query(`INSERT INTO ${table} VALUES (7)`));
    });
    expect(await rows()).toEqual([7]);
    // No connection was handed back inside a transaction: SAVEPOINT is refused outside one, on every one.
    const probes = await Promise.allSettled(Array.from({ length: 20 }, () => db.query(`SAVEPOINT probe`)));
    expect(
      probes.map((p) => (p.status === 'rejected' ? (p.reason as { code?: string }).code : 'inside')),
    ).toEqual(Array(20).fill('25P01'));
  });

  // The leaks below are what a pipelined transaction must refuse: a statement that reaches the server
  // after the work returned runs outside the transaction it was written for (or on a connection already
  // handed to someone else), and a write nobody awaits must never be lost without the commit failing.
  describe('after the work returned', () => {
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

    it('fails the transaction when a write handed to later issues its statement a turn late (setImmediate)', async () => {
      const outcome = db.transaction(async (tx) => {
        tx.later(tx.query(`INSERT INTO ${table} VALUES (1)`));
        tx.later(
          (async () => {
            await nextTurn();
            await tx.query(`INSERT INTO ${table} VALUES (-1)`);
          })(),
        );
        return 'committed';
      });
      await expect(outcome).rejects.toThrow(/after the transaction's work returned/);
      await nextTurn();
      expect(await rows()).not.toContain(-1);
    });

    it('never runs a late statement outside the transaction, even one that would succeed', async () => {
      const outcome = db.transaction(async (tx) => {
        tx.later(
          (async () => {
            await nextTurn();
            await tx.query(`INSERT INTO ${table} VALUES (5)`);
          })(),
        );
        return 'committed';
      });
      await expect(outcome).rejects.toThrow(/after the transaction's work returned/);
      await nextTurn();
      expect(await rows()).toEqual([]);
    });

    it('refuses, at once, a statement on a transaction that has committed', async () => {
      let kept: Transaction | undefined;
      await db.transaction(async (tx) => {
        kept = tx;
        tx.later(tx.query(`INSERT INTO ${table} VALUES (1)`));
      });
      expect(() => kept!.query(`INSERT INTO ${table} VALUES (2)`)).toThrow(/transaction is over/);
      await nextTurn();
      expect(await rows()).toEqual([1]);
    });

    it('refuses, at once, a statement on a transaction that has rolled back', async () => {
      let kept: Transaction | undefined;
      await expect(
        db.transaction(async (tx) => {
          kept = tx;
          await tx.query(`SELECT 1/0`);
        }),
      ).rejects.toMatchObject({ code: '22012' });
      expect(() => kept!.query(`INSERT INTO ${table} VALUES (3)`)).toThrow(/transaction is over/);
      await nextTurn();
      expect(await rows()).toEqual([]);
    });
  });

  describe('later', () => {
    it('rolls back when a handed-over write fails before it sends its statement', async () => {
      // e.g. a repository method that cannot serialise its parameters: no statement, only a rejection.
      const unbuildable = async (tx: Transaction, value: unknown) => {
        if (typeof value !== 'number') throw new Error('could not build the write');
        await tx.query(`INSERT INTO ${table} VALUES ($1)`, [value]);
      };
      await expect(
        db.transaction(async (tx) => {
          tx.later(tx.query(`INSERT INTO ${table} VALUES (1)`));
          tx.later(unbuildable(tx, 'two'));
          return 'committed';
        }),
      ).rejects.toThrow('could not build the write');
      expect(await rows()).toEqual([]);
    });
  });
});
