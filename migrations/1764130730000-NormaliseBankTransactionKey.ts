import { MigrationInterface, QueryRunner } from 'typeorm';

// Mirror normaliseReference / normaliseAccount in transaction-sync-body.ts.
const REFERENCE = (column: string) => `upper(btrim(${column}))`;
const ACCOUNT = (column: string) => `upper(regexp_replace(${column}, '[^0-9A-Za-z]', '', 'g'))`;

/**
 * One transfer, one ledger row. The key becomes reference_key + type + account_key (the reference trimmed
 * and upper-cased, the account's letters and digits), and VietQR's transactionid (trimmed, upper-cased) on
 * the same type and account is a second unique key. reference and bank_account keep what VietQR sent (it
 * knows the transfer by them). Rows that collide under the new keys with an earlier row are kept, never
 * deleted: marked key_collision_of = the earlier row, outside both keys, and reported.
 */
export class NormaliseBankTransactionKey1764130730000 implements MigrationInterface {
  name = 'NormaliseBankTransactionKey1764130730000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE bank_transaction
        ADD COLUMN reference_key text, ADD COLUMN account_key text, ADD COLUMN key_collision_of uuid,
        ADD CONSTRAINT bank_transaction_key_collision_of_fk
          FOREIGN KEY (key_collision_of) REFERENCES bank_transaction (id)`);
    await queryRunner.query(`
      UPDATE bank_transaction
         SET reference_key = coalesce(nullif(${REFERENCE('reference')}, ''), reference),
             account_key = ${ACCOUNT('bank_account')}`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction ALTER COLUMN reference_key SET NOT NULL,
        ALTER COLUMN account_key SET NOT NULL`);
    // The earliest row of each key keeps it; later ones are marked, first under the reference key, then
    // (among the rest) under the transactionid.
    await queryRunner.query(`
      WITH ranked AS (
        SELECT id, first_value(id) OVER (
                 PARTITION BY reference_key, trans_type, account_key ORDER BY seq) AS kept
          FROM bank_transaction WHERE conflict_of IS NULL
      ) UPDATE bank_transaction b SET key_collision_of = ranked.kept
          FROM ranked WHERE b.id = ranked.id AND ranked.kept <> ranked.id`);
    await queryRunner.query(`
      WITH ranked AS (
        SELECT id, first_value(id) OVER (
                 PARTITION BY ${REFERENCE('transaction_id')}, trans_type, account_key ORDER BY seq) AS kept
          FROM bank_transaction
         WHERE conflict_of IS NULL AND key_collision_of IS NULL AND btrim(transaction_id) <> ''
      ) UPDATE bank_transaction b SET key_collision_of = ranked.kept
          FROM ranked WHERE b.id = ranked.id AND ranked.kept <> ranked.id`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX bank_transaction_key_uq ON bank_transaction (reference_key, trans_type, account_key)
       WHERE conflict_of IS NULL AND key_collision_of IS NULL`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX bank_transaction_transaction_id_uq
        ON bank_transaction (${REFERENCE('transaction_id')}, trans_type, account_key)
       WHERE btrim(transaction_id) <> '' AND conflict_of IS NULL AND key_collision_of IS NULL`);
    await queryRunner.query(`DROP INDEX bank_transaction_reference_uq`);

    const collisions = (await queryRunner.query(
      `SELECT id, key_collision_of AS "keptId", reference FROM bank_transaction
        WHERE key_collision_of IS NOT NULL ORDER BY seq`,
    )) as Array<{ id: string; keptId: string; reference: string }>;
    if (collisions.length > 0) {
      // Kept for a person to look at: SELECT * FROM bank_transaction WHERE key_collision_of IS NOT NULL.
      process.stderr.write(
        `NormaliseBankTransactionKey: ${collisions.length} bank transaction(s) share a normalised key with ` +
          `an earlier one and were kept, marked key_collision_of: ` +
          `${collisions.map((c) => `${c.id} (reference ${c.reference}, same as ${c.keptId})`).join(', ')}\n`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // reference and bank_account were never rewritten, so the old key is unique again as it was.
    await queryRunner.query(
      `CREATE UNIQUE INDEX bank_transaction_reference_uq ON bank_transaction (reference, trans_type, bank_account)
       WHERE conflict_of IS NULL`,
    );
    await queryRunner.query(`DROP INDEX bank_transaction_transaction_id_uq`);
    await queryRunner.query(`DROP INDEX bank_transaction_key_uq`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_key_collision_of_fk,
        DROP COLUMN key_collision_of, DROP COLUMN account_key, DROP COLUMN reference_key`);
  }
}
