import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRefundDebitStatus1764131000100 implements MigrationInterface {
  name = 'AddRefundDebitStatus1764131000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A debit VietQR reports for one of our refunds is linked to it (refund_debit) instead of ignored. The
    // list is AddBankTransactionDismissal's plus refund_debit.
    await queryRunner.query(`ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_status_ck`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction ADD CONSTRAINT bank_transaction_status_ck CHECK (
        status IN ('received', 'linked', 'late', 'unmatched', 'ignored_debit', 'conflict', 'dismissed', 'refund_debit')
      )`);
    // Debits waiting to be linked to a refund: few (refunds are most debits of a collection account).
    await queryRunner.query(
      `CREATE INDEX bank_transaction_ignored_debit_idx ON bank_transaction (received_at)
       WHERE status = 'ignored_debit'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX bank_transaction_ignored_debit_idx`);
    await queryRunner.query(
      `UPDATE bank_transaction SET status = 'ignored_debit' WHERE status = 'refund_debit'`,
    );
    await queryRunner.query(`ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_status_ck`);
    await queryRunner.query(`
      ALTER TABLE bank_transaction ADD CONSTRAINT bank_transaction_status_ck CHECK (
        status IN ('received', 'linked', 'late', 'unmatched', 'ignored_debit', 'conflict', 'dismissed')
      )`);
  }
}
