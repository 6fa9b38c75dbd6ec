import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddBankTransactionArrivedVia1764131110000 implements MigrationInterface {
  name = 'AddBankTransactionArrivedVia1764131110000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // How each transfer reached the ledger: VietQR's callback, scheduled reconciliation, or a person's
    // reconcile request. Rows recorded before this column existed all came by callback.
    await queryRunner.query(
      `ALTER TABLE bank_transaction ADD COLUMN arrived_via text NOT NULL DEFAULT 'callback',
         ADD CONSTRAINT bank_transaction_arrived_via_ck CHECK (arrived_via IN ('callback', 'reconcile', 'manual'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE bank_transaction DROP CONSTRAINT bank_transaction_arrived_via_ck, DROP COLUMN arrived_via`,
    );
  }
}
