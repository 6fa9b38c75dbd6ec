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

  it('adds the normalised keys, keeps and reports rows that collide, and its down() restores the old key', async () => {
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
        `SELECT id, reference, reference_key AS "referenceKey", account_key AS "accountKey",
                key_collision_of AS "collisionOf", status FROM bank_transaction ORDER BY seq`,
      );
      const row = (id: string, reference: string, referenceKey: string, collisionOf: string | null) => ({
        id,
        reference,
        referenceKey,
        accountKey: '0123456789',
        collisionOf,
        status: 'linked',
      });
      expect(rows).toEqual([
        row(kept, 'FT1', 'FT1', null),
        row(lower, 'ft1', 'FT1', kept),
        row(spaced, ' FT1 ', 'FT1', kept),
        row(sameTxid, 'FT2', 'FT2', kept),
        row(alone, 'ft3', 'FT3', null),
        row(blankTxid, 'FT4', 'FT4', null),
        row(blankTxid2, 'FT5', 'FT5', null),
      ]);

      // Down to before this migration: the columns go, every row stays, the old key holds again.
      const last = async () => {
        const rows: Array<{ name: string }> = await full.query(
          `SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1`,
        );
        return rows[0].name;
      };
      while ((await last()) !== BEFORE.at(-1)!.name) await full.undoLastMigration();
      const columns: Array<{ name: string }> = await full.query(
        `SELECT column_name AS name FROM information_schema.columns
          WHERE table_name = 'bank_transaction' AND column_name IN ('reference_key', 'account_key', 'key_collision_of')`,
      );
      expect(columns).toEqual([]);
      expect((await full.query(`SELECT count(*)::int AS n FROM bank_transaction`))[0].n).toBe(7);
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
