import { MigrationInterface, QueryRunner } from 'typeorm';

// Mirrors normaliseAccount / normaliseReference in transaction-sync-body.ts.
const ACCOUNT = (column: string) => `upper(regexp_replace(${column}, '[^0-9A-Za-z]', '', 'g'))`;
const REFERENCE = (column: string) => `upper(btrim(${column}))`;

/**
 * One transfer, one ledger row: the key becomes the normalised reference + type + account, and VietQR's
 * transactionid (trimmed, upper-cased) + type + account is a second unique key. Existing keys are
 * normalised; rows that then collide with an earlier one are kept (never deleted), marked key_collision_of
 * = the earlier row, outside both keys, and reported. The spelling before is kept for down().
 */
export class NormaliseBankTransactionKey1764130730000 implements MigrationInterface {
  name = 'NormaliseBankTransactionKey1764130730000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bank_transaction_key_before (
        id uuid NOT NULL,
        reference text NOT NULL,
        bank_account text NOT NULL,
        transaction_id text,
        CONSTRAINT bank_transaction_key_before_pk PRIMARY KEY (id)
      )`);
    await queryRunner.query(`
      INSERT INTO bank_transaction_key_before (id, reference, bank_account, transaction_id)
      SELECT id, reference, bank_account, transaction_id FROM bank_transaction
       WHERE reference <> ${REFERENCE('reference')} OR bank_account <> ${ACCOUNT('bank_account')}
          OR btrim(transaction_id) = ''`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction ADD COLUMN key_collision_of uuid,
        ADD CONSTRAINT bank_transaction_key_collision_of_fk
          FOREIGN KEY (key_collision_of) REFERENCES bank_transaction (id)`);
    await queryRunner.query(`DROP INDEX bank_transaction_reference_uq`);
    await queryRunner.query(`
      UPDATE bank_transaction
         SET reference = coalesce(nullif(${REFERENCE('reference')}, ''), reference),
             bank_account = ${ACCOUNT('bank_account')},
             -- A blank transactionid is none (as parseDelivery reads it now), not a shared key.
             transaction_id = CASE WHEN btrim(transaction_id) = '' THEN NULL ELSE transaction_id END
       WHERE id IN (SELECT id FROM bank_transaction_key_before)`);
    // The earliest row of each key keeps it; later ones are marked, first under the reference key, then
    // (among the rest) under the transactionid.
    await queryRunner.query(`
      WITH ranked AS (
        SELECT id, first_value(id) OVER (PARTITION BY reference, trans_type, bank_account ORDER BY seq) AS kept
          FROM bank_transaction WHERE conflict_of IS NULL
      ) UPDATE bank_transaction b SET key_collision_of = ranked.kept
          FROM ranked WHERE b.id = ranked.id AND ranked.kept <> ranked.id`);
    await queryRunner.query(`
      WITH ranked AS (
        SELECT id, first_value(id) OVER (
                 PARTITION BY ${REFERENCE('transaction_id')}, trans_type, bank_account ORDER BY seq) AS kept
          FROM bank_transaction
         WHERE conflict_of IS NULL AND key_collision_of IS NULL AND ${REFERENCE('transaction_id')} <> ''
      ) UPDATE bank_transaction b SET key_collision_of = ranked.kept
          FROM ranked WHERE b.id = ranked.id AND ranked.kept <> ranked.id`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX bank_transaction_reference_uq ON bank_transaction (reference, trans_type, bank_account)
       WHERE conflict_of IS NULL AND key_collision_of IS NULL`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX bank_transaction_transaction_id_uq
        ON bank_transaction (${REFERENCE('transaction_id')}, trans_type, bank_account)
       WHERE transaction_id IS NOT NULL AND conflict_of IS NULL AND key_collision_of IS NULL`);

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
    await queryRunner.query(`DROP INDEX bank_transaction_transaction_id_uq`);
    await queryRunner.query(`DROP INDEX bank_transaction_reference_uq`);
    await queryRunner.query(`
      UPDATE bank_transaction b
         SET reference = k.reference, bank_account = k.bank_account, transaction_id = k.transaction_id
        FROM bank_transaction_key_before k WHERE k.id = b.id`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_key_collision_of_fk,
        DROP COLUMN key_collision_of`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX bank_transaction_reference_uq ON bank_transaction (reference, trans_type, bank_account)
       WHERE conflict_of IS NULL`,
    );
    await queryRunner.query(`DROP TABLE bank_transaction_key_before`);
  }
}
