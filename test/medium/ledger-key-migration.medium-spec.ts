import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/database/database-options.js';
import { MIGRATIONS } from '../../src/database/migrations.js';
import { NormaliseBankTransactionKey1764130730000 } from '../../migrations/1764130730000-NormaliseBankTransactionKey.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(NormaliseBankTransactionKey1764130730000));

describe(NormaliseBankTransactionKey1764130730000.name, () => {
  let database: PrivateDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createPrivateDatabase();
    db = new DataSource({
      ...databaseOptions({ url: database.url, poolSize: 2, statementTimeoutMs: 0 }),
      migrations: BEFORE,
    });
    await db.initialize();
    await db.runMigrations();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const insert = async (reference: string, bankAccount: string, transactionId: string | null) => {
    const [row] = await db.query(
      `INSERT INTO bank_transaction (reference, trans_type, bank_account, amount, content, transaction_id, raw_body, status)
       VALUES ($1, 'C', $2, 100000, 'ck', $3, '{}', 'linked') RETURNING id`,
      [reference, bankAccount, transactionId],
    );
    return row.id as string;
  };

  it('normalises the keys, keeps and reports rows that collide, and its down() restores the spellings', async () => {
    const kept = await insert('FT1', '0123456789', 'tx-a');
    const lower = await insert('ft1', '0123-456-789', 'tx-b');
    const spaced = await insert(' FT1 ', '0123456789', 'tx-c');
    const sameTxid = await insert('FT2', '0123456789', 'TX-A ');
    const alone = await insert('ft3', ' 0123 456 789', null);
    const blankTxid = await insert('FT4', '0123456789', '  ');
    const blankTxid2 = await insert('FT5', '0123456789', '  ');

    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const full = new DataSource(databaseOptions({ url: database.url, poolSize: 2, statementTimeoutMs: 0 }));
    await full.initialize();
    try {
      await full.runMigrations();
      const report = stderr.mock.calls.map((c) => String(c[0])).join('');
      stderr.mockRestore();
      expect(report).toContain('3 bank transaction(s) share a normalised key');
      for (const id of [lower, spaced, sameTxid]) expect(report).toContain(id);

      const rows: Array<Record<string, string | null>> = await full.query(
        `SELECT id, reference, bank_account AS "bankAccount", transaction_id AS "transactionId",
                key_collision_of AS "collisionOf", status FROM bank_transaction ORDER BY seq`,
      );
      expect(rows).toEqual([
        {
          id: kept,
          reference: 'FT1',
          bankAccount: '0123456789',
          transactionId: 'tx-a',
          collisionOf: null,
          status: 'linked',
        },
        {
          id: lower,
          reference: 'FT1',
          bankAccount: '0123456789',
          transactionId: 'tx-b',
          collisionOf: kept,
          status: 'linked',
        },
        {
          id: spaced,
          reference: 'FT1',
          bankAccount: '0123456789',
          transactionId: 'tx-c',
          collisionOf: kept,
          status: 'linked',
        },
        {
          id: sameTxid,
          reference: 'FT2',
          bankAccount: '0123456789',
          transactionId: 'TX-A ',
          collisionOf: kept,
          status: 'linked',
        },
        {
          id: alone,
          reference: 'FT3',
          bankAccount: '0123456789',
          transactionId: null,
          collisionOf: null,
          status: 'linked',
        },
        {
          id: blankTxid,
          reference: 'FT4',
          bankAccount: '0123456789',
          transactionId: null,
          collisionOf: null,
          status: 'linked',
        },
        {
          id: blankTxid2,
          reference: 'FT5',
          bankAccount: '0123456789',
          transactionId: null,
          collisionOf: null,
          status: 'linked',
        },
      ]);

      // Down to before this migration: every spelling is back, nothing lost.
      while (
        (
          (await full.query(`SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1`)) as Array<{
            name: string;
          }>
        )[0].name !== BEFORE.at(-1)!.name
      ) {
        await full.undoLastMigration();
      }
      const restored: Array<Record<string, string | null>> = await full.query(
        `SELECT reference, bank_account AS "bankAccount", transaction_id AS "transactionId" FROM bank_transaction ORDER BY seq`,
      );
      expect(restored).toEqual([
        { reference: 'FT1', bankAccount: '0123456789', transactionId: 'tx-a' },
        { reference: 'ft1', bankAccount: '0123-456-789', transactionId: 'tx-b' },
        { reference: ' FT1 ', bankAccount: '0123456789', transactionId: 'tx-c' },
        { reference: 'FT2', bankAccount: '0123456789', transactionId: 'TX-A ' },
        { reference: 'ft3', bankAccount: ' 0123 456 789', transactionId: null },
        { reference: 'FT4', bankAccount: '0123456789', transactionId: '  ' },
        { reference: 'FT5', bankAccount: '0123456789', transactionId: '  ' },
      ]);
      // ... and up again, as a deployment rolled forward would.
      await full.runMigrations();
      expect(
        (
          await full.query(
            `SELECT count(*)::int AS n FROM bank_transaction WHERE key_collision_of IS NOT NULL`,
          )
        )[0].n,
      ).toBe(3);
    } finally {
      stderr.mockRestore();
      await full.destroy();
    }
  });
});
