import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An operator closes a review item without linking it: status 'dismissed' with who, when and why. The review
 * index also covers dismissed items, so status=dismissed pages like the queue.
 */
export class AddBankTransactionDismissal1764130720000 implements MigrationInterface {
  name = 'AddBankTransactionDismissal1764130720000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE bank_transaction
        ADD COLUMN dismissed_at timestamptz,
        ADD COLUMN dismissed_by text,
        ADD COLUMN dismissal_note text`);
    await queryRunner.query(`ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_status_ck`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction ADD CONSTRAINT bank_transaction_status_ck
        CHECK (status IN ('received', 'linked', 'late', 'unmatched', 'ignored_debit', 'conflict', 'dismissed'))`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction ADD CONSTRAINT bank_transaction_dismissed_ck
        CHECK (status <> 'dismissed' OR (dismissed_at IS NOT NULL AND dismissed_by IS NOT NULL
               AND char_length(dismissal_note) BETWEEN 1 AND 500))`);
    await queryRunner.query(`DROP INDEX bank_transaction_review_idx`);
    await queryRunner.query(
      `CREATE INDEX bank_transaction_review_idx ON bank_transaction (status, seq DESC)
       WHERE status IN ('unmatched', 'late', 'conflict', 'dismissed')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A dismissed item goes back to the queue as what it was: a conflict (it has conflict_of), else unmatched
    // (late ones have their payment).
    await queryRunner.query(`
      UPDATE bank_transaction
         SET status = CASE WHEN conflict_of IS NOT NULL THEN 'conflict'
                           WHEN payment_id IS NOT NULL THEN 'late' ELSE 'unmatched' END
       WHERE status = 'dismissed'`);
    await queryRunner.query(`DROP INDEX bank_transaction_review_idx`);
    await queryRunner.query(
      `CREATE INDEX bank_transaction_review_idx ON bank_transaction (status, seq DESC)
       WHERE status IN ('unmatched', 'late', 'conflict')`,
    );
    await queryRunner.query(`ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_dismissed_ck`);
    await queryRunner.query(`ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_status_ck`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction ADD CONSTRAINT bank_transaction_status_ck
        CHECK (status IN ('received', 'linked', 'late', 'unmatched', 'ignored_debit', 'conflict'))`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction
        DROP COLUMN dismissed_at, DROP COLUMN dismissed_by, DROP COLUMN dismissal_note`);
  }
}
