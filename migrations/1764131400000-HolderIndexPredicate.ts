import { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `(upper(btrim(transaction_id)), trans_type, account_key)`;

// The transactionid key's index gets a predicate of its own spelling (coalesce(a, b) IS NULL is exactly
// a IS NULL AND b IS NULL), which the holder look-up's transactionid branch repeats. PostgreSQL proves a
// partial index usable from the predicate's clauses: the branch no longer implies the reference key's
// index (conflict_of IS NULL AND key_collision_of IS NULL), so that index, which walks the account, cannot
// be chosen for it whatever the statistics say, and the look-up can be prepared with one generic plan
// (BENCHMARKS.md). Same rows, same uniqueness; the index is rebuilt (a write lock on the ledger while it is).
export class HolderIndexPredicate1764131400000 implements MigrationInterface {
  name = 'HolderIndexPredicate1764131400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.rebuild(queryRunner, `coalesce(conflict_of, key_collision_of) IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.rebuild(queryRunner, `conflict_of IS NULL AND key_collision_of IS NULL`);
  }

  private async rebuild(queryRunner: QueryRunner, unclaimed: string): Promise<void> {
    await queryRunner.query(`
      CREATE UNIQUE INDEX bank_transaction_transaction_id_next_uq ON bank_transaction ${COLUMNS}
       WHERE btrim(transaction_id) <> '' AND ${unclaimed}`);
    await queryRunner.query(`DROP INDEX bank_transaction_transaction_id_uq`);
    await queryRunner.query(
      `ALTER INDEX bank_transaction_transaction_id_next_uq RENAME TO bank_transaction_transaction_id_uq`,
    );
  }
}
