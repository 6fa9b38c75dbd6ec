import type { TestingModule } from '@nestjs/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
// Every module, so that every statement a repository marks is marked here too.
import '../../src/app.module.js';
import { Database } from '../../src/database/database.js';
import { databaseOptions } from '../../src/database/database-options.js';
import { prepared, preparedName, preparedStatements } from '../../src/database/prepared-sql.js';
import { createMediumModule } from '../support/test-app.js';
import { createPrivateDatabase, PrivateDatabase } from '../support/private-database.js';

const PROBE = prepared(`SELECT $1::int + 1 AS v /* prepared-statements probe */`);
const UNMARKED = `SELECT $1::int + 2 AS v /* prepared-statements probe, unmarked */`;

type PreparedRow = { name: string; statement: string; generic_plans: string; custom_plans: string };
const preparedOnThisConnection = `SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements`;

describe('prepared statements', () => {
  const runOnOneConnection = async (db: Database) =>
    db.transaction(async (tx) => {
      for (let i = 0; i < 7; i++) expect(await tx.query(PROBE, [i])).toEqual([{ v: i + 1 }]);
      expect(await tx.query(UNMARKED, [1])).toEqual([{ v: 3 }]);
      return tx.query<PreparedRow[]>(preparedOnThisConnection);
    });

  const embedded = process.env.VQG_TEST_DATABASE_EMBEDDED === '1';

  (embedded ? describe.skip : describe)('on PostgreSQL', () => {
    let moduleRef: TestingModule;
    beforeAll(async () => {
      moduleRef = await createMediumModule([]);
    });
    afterAll(async () => moduleRef.close());

    it('prepares a marked statement once per connection, runs it on a cached generic plan, and names nothing else', async () => {
      const rows = await runOnOneConnection(moduleRef.get(Database));
      const probe = rows.find((r) => r.name === preparedName(PROBE));
      expect(probe).toMatchObject({ statement: PROBE });
      // Five custom plans, then PostgreSQL's generic one from the sixth run on.
      expect(Number(probe!.generic_plans)).toBeGreaterThanOrEqual(1);
      expect(rows.some((r) => r.statement === UNMARKED)).toBe(false);
    });
  });

  // Nothing is named with DB_PREPARED_STATEMENTS=false, nor on the embedded database, whose socket server
  // runs every connection in one session (names would collide there).
  const unnamed: Array<[string, Record<string, string>, boolean]> = [
    ['with DB_PREPARED_STATEMENTS=false', { DB_PREPARED_STATEMENTS: 'false' }, true],
    ['on the embedded database', {}, embedded],
  ];
  for (const [title, overrides, applies] of unnamed) {
    (applies ? describe : describe.skip)(title, () => {
      let moduleRef: TestingModule;
      beforeAll(async () => {
        moduleRef = await createMediumModule([], overrides);
      });
      afterAll(async () => moduleRef.close());

      it('prepares nothing by name', async () => {
        const rows = await runOnOneConnection(moduleRef.get(Database));
        expect(rows.filter((r) => r.name.startsWith('vqg_'))).toEqual([]);
      });
    });
  }

  // A generic plan is made without the values. A statement marked although its best index depends on them
  // reads a large share of a table once PostgreSQL switches to the generic plan. That happened to the
  // ledger's holder look-up on a table not yet ANALYZEd (PostgreSQL guesses then): the plan walked the
  // account's rows through the other unique index. So each plan is checked before the first ANALYZE and after.
  describe('every marked statement, planned without its values, on loaded tables', () => {
    let database: PrivateDatabase;
    let client: pg.Client;
    let planned = 0;

    beforeAll(async () => {
      database = await createPrivateDatabase();
      const migrate = new DataSource(
        databaseOptions({ url: database.url, poolSize: 1, statementTimeoutMs: 0 }),
      );
      await migrate.initialize();
      await migrate.runMigrations();
      await migrate.destroy();
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query('SET plan_cache_mode = force_generic_plan');
      // One client, one account, 20 000 transfers: the shape that made a generic plan walk the account.
      const [{ id: clientId }] = (
        await client.query(`INSERT INTO api_client (name, key_hash, key_prefix, role)
                            VALUES ('plans', 'x', 'x', 'order_system') RETURNING id`)
      ).rows;
      await client.query(
        `INSERT INTO payment (client_id, order_id, code, amount, expires_at)
         SELECT $1, 'o' || i, 'C' || i, 100000, now() + interval '1 hour' FROM generate_series(1, 20000) i`,
        [clientId],
      );
      await client.query(
        `INSERT INTO bank_transaction (reference, trans_type, bank_account, amount, content, transaction_id,
                                       raw_body, status, reference_key, account_key)
         SELECT 'FT' || i, 'C', '0123456789', 100000, 'C' || i, 'tx' || i, '{}', 'unmatched', 'FT' || i, '0123456789'
           FROM generate_series(1, 20000) i`,
      );
      await client.query(
        `INSERT INTO payment_transaction (bank_transaction_id, payment_id, reference, amount, content, bank_account,
                                          late, paid_at, received_at, linked_by)
         SELECT t.id, p.id, t.reference, t.amount, t.content, t.bank_account, false, now(), now(), 'plans'
           FROM bank_transaction t JOIN payment p ON p.code = t.content`,
      );
      await client.query(
        `INSERT INTO payment_history (payment_id, from_status, to_status, amount_paid, actor, reason)
         SELECT id, NULL, status, amount_paid, 'plans', 'created' FROM payment`,
      );
      await client.query(
        `INSERT INTO outbox_event (type, client_id, subject_id, payload, created_at)
         SELECT 'payment.updated', client_id, id, '{}', now() FROM payment`,
      );
    });
    afterAll(async () => {
      await client?.end();
      await database?.drop();
    });

    const genericPlan = async (sql: string) => {
      const name = `generic_${planned++}`;
      const parameters = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      await client.query(`PREPARE ${name} AS ${sql}`);
      const args = parameters === 0 ? '' : `(${Array(parameters).fill('NULL').join(', ')})`;
      const rows = (await client.query(`EXPLAIN EXECUTE ${name}${args}`)).rows as Array<
        Record<string, string>
      >;
      await client.query(`DEALLOCATE ${name}`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    // Every table holds 20 000 rows. A scan reads a large share of one when it is sequential, when it has no
    // Index Cond, when the planner itself expects over 1 % of the rows, or when it filters the rows its
    // Index Cond found (the walk above), unless that condition is the primary key's.
    const wideScans = (plan: string) =>
      plan
        .split(/\n(?=\s*->)/)
        .filter((node) => /(Seq Scan|Index Scan|Index Only Scan|Bitmap Index Scan) (on|using)/.test(node))
        .filter(
          (node) =>
            /Seq Scan/.test(node) ||
            !/Index Cond/.test(node) ||
            Number(/rows=(\d+)/.exec(node)?.[1] ?? 0) > 200 ||
            (/\n\s*Filter:/.test(node) && !/Index Cond: \((\w+\.)?id = \$\d+\)/.test(node)),
        );
    const checkAll = async () => {
      const statements = preparedStatements().filter((s) => s !== PROBE);
      expect(statements.length).toBeGreaterThanOrEqual(6);
      for (const sql of statements) {
        const plan = await genericPlan(sql);
        if (process.env.SHOW_PLANS) console.log(`${sql.trim().slice(0, 80)}…\n${plan}`);
        expect({ sql, wide: wideScans(plan) }).toEqual({ sql, wide: [] });
      }
    };
    // The holder look-up's transactionid branch as it was spelled before HolderIndexPredicate: it also implies
    // the reference key's index's predicate, and a generic plan may walk the account through that index.
    const holderByTransactionId = `SELECT id FROM bank_transaction
       WHERE btrim(transaction_id) <> '' AND conflict_of IS NULL AND key_collision_of IS NULL
         AND upper(btrim(transaction_id)) = upper(btrim($2)) AND trans_type = $1 AND account_key = $3 LIMIT 1`;

    it('reads a few rows before the tables are first ANALYZEd', async () => {
      expect(wideScans(await genericPlan(holderByTransactionId))).not.toEqual([]);
      await checkAll();
    });

    it('reads a few rows once they are', async () => {
      await client.query('ANALYZE');
      const optionalFilter = `SELECT id FROM bank_transaction
         WHERE ($1::text IS NULL OR reference_key = $1) AND account_key = $2 ORDER BY seq DESC LIMIT 20`;
      expect(wideScans(await genericPlan(optionalFilter))).not.toEqual([]);
      await checkAll();
    });
  });
});
