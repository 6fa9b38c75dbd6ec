import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { Database, type Transaction, writeRow } from '../../src/database/database.js';
import { rowStatement } from '../../src/database/row-writes.js';
import { createMediumModule } from '../support/test-app.js';

// The pipelined transaction is what makes a credit's writes safe to send without waiting: these tests
// show a write nobody awaited still decides whether the transaction commits.
describe(Database.name, () => {
  let moduleRef: TestingModule;
  let db: Database;
  const table = `pipeline_probe_${randomUUID().replace(/-/g, '')}`;
  const rows = async () =>
    (await db.query<Array<{ v: number }>>(`SELECT v FROM ${table} ORDER BY v`)).map((r) => r.v);

  // Each INSERT statement on the table leaves a line here (a statement-level trigger): how many statements a
  // transaction's rows took, as PostgreSQL saw them.
  const statements = `${table}_statements`;
  const insertsSeen = async () =>
    Number((await db.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ${statements}`))[0].n);
  const PROBE_ROW = rowStatement(
    'r',
    [['v', 'int']],
    ({ rows }) => `INSERT INTO ${table} SELECT v FROM ${rows} ORDER BY ordinality`,
  );

  beforeAll(async () => {
    moduleRef = await createMediumModule([]);
    db = moduleRef.get(Database);
    // seq: the order PostgreSQL inserted the rows in (an outbox event's seq is its dispatch order).
    await db.query(
      `CREATE TABLE ${table} (v int PRIMARY KEY CHECK (v >= 0), seq bigint GENERATED ALWAYS AS IDENTITY)`,
    );
    await db.query(`CREATE TABLE ${statements} (at timestamptz DEFAULT clock_timestamp())`);
    await db.query(`CREATE FUNCTION ${statements}_log() RETURNS trigger LANGUAGE plpgsql AS
                    $$ BEGIN INSERT INTO ${statements} DEFAULT VALUES; RETURN NULL; END $$`);
    await db.query(`CREATE TRIGGER ${statements}_log AFTER INSERT ON ${table}
                    FOR EACH STATEMENT EXECUTE FUNCTION ${statements}_log()`);
  });
  afterEach(async () => {
    await db.query(`DELETE FROM ${table}`);
    await db.query(`DELETE FROM ${statements}`);
  });
  afterAll(async () => {
    await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP TABLE ${statements}`);
    await db.query(`DROP FUNCTION ${statements}_log()`);
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
    it('commits nothing when a statement fails before it reaches PostgreSQL (its parameter cannot be sent)', async () => {
      const unsendable = {
        toPostgres: () => {
          throw new Error('cannot serialise this value');
        },
      };
      await expect(
        db.transaction(async (tx) => {
          tx.later(tx.query(`INSERT INTO ${table} (v) VALUES (1)`));
          tx.later(tx.query(`INSERT INTO ${table} (v) VALUES ($1)`, [unsendable]));
          tx.later(tx.query(`INSERT INTO ${table} (v) VALUES (2)`));
          return 'committed';
        }),
      ).rejects.toThrow('cannot serialise this value');
      expect(await rows()).toEqual([]);
    });

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

  describe('gathered rows (writeRow)', () => {
    it('sends the rows of a kind handed over in one turn as one statement, in order, before the next statement', async () => {
      const seen = await db.transaction(async (tx) => {
        for (const v of [3, 1, 2]) tx.later(writeRow(tx, PROBE_ROW, [v]));
        // The next statement runs after them: it sees all three.
        const [{ n }] = await tx.query<Array<{ n: string }>>(`SELECT count(*) AS n FROM ${table}`);
        tx.later(writeRow(tx, PROBE_ROW, [4]));
        return Number(n);
      });
      expect(seen).toBe(3);
      expect(await rows()).toEqual([1, 2, 3, 4]);
      // Inserted in the order handed over, within the one statement too.
      const bySeq = await db.query<Array<{ v: number }>>(`SELECT v FROM ${table} ORDER BY seq`);
      expect(bySeq.map((r) => r.v)).toEqual([3, 1, 2, 4]);
      // [3, 1, 2] in one statement, [4] in another (sent when the work returned).
      expect(await insertsSeen()).toBe(2);
      // A lone row goes by the one-row text; several by the arrays.
      expect(PROBE_ROW.one).toMatch(/VALUES \(\$1::int, 1::bigint\)/);
      expect(PROBE_ROW.many).toMatch(/unnest\(\$1::int\[\]\)/);
    });

    it('answers a gathered write awaited inside the work (sent at the end of the turn)', async () => {
      await db.transaction(async (tx) => {
        await writeRow(tx, PROBE_ROW, [5]);
        await writeRow(tx, PROBE_ROW, [6]);
      });
      expect(await rows()).toEqual([5, 6]);
      expect(await insertsSeen()).toBe(2);
    });

    it('fails the commit when one gathered row fails, keeping none of them, and rejects each row', async () => {
      const each: Array<Promise<void>> = [];
      await expect(
        db.transaction(async (tx) => {
          for (const v of [1, -1, 2]) {
            const row = writeRow(tx, PROBE_ROW, [v]);
            each.push(row);
            tx.later(row);
          }
          return 'committed';
        }),
      ).rejects.toMatchObject({ code: '23514' });
      expect(await rows()).toEqual([]);
      const settled = await Promise.allSettled(each);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    });

    it('sends nothing of rows gathered before the work threw', async () => {
      await expect(
        db.transaction(async (tx) => {
          tx.later(writeRow(tx, PROBE_ROW, [1]));
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await rows()).toEqual([]);
      expect(await insertsSeen()).toBe(0);
    });

    it('refuses, at once, a row without a value for each column', async () => {
      await expect(
        db.transaction(async (tx) => {
          tx.later(writeRow(tx, PROBE_ROW, [1, 2]));
        }),
      ).rejects.toThrow(/a row of 2 values for a statement of 1 columns/);
      expect(await rows()).toEqual([]);
    });

    it('refuses, at once, a row handed to a transaction that is over', async () => {
      let kept: Transaction | undefined;
      await db.transaction(async (tx) => {
        kept = tx;
      });
      expect(() => writeRow(kept!, PROBE_ROW, [1])).toThrow(/transaction is over/);
      expect(await rows()).toEqual([]);
    });

    it('writes one row on a runner that is not a transaction', async () => {
      await writeRow(db, PROBE_ROW, [8]);
      expect(await rows()).toEqual([8]);
    });
  });
});
