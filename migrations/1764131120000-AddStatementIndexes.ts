import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddStatementIndexes1764131120000 implements MigrationInterface {
  name = 'AddStatementIndexes1764131120000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Daily statements and exports select a period of the ledger by arrival time, and of all payments
    // (the operator's export) by creation time; both walk in (time, id) order.
    await queryRunner.query(
      `CREATE INDEX bank_transaction_received_idx ON bank_transaction (received_at, id)`,
    );
    await queryRunner.query(`CREATE INDEX payment_created_idx ON payment (created_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX payment_created_idx`);
    await queryRunner.query(`DROP INDEX bank_transaction_received_idx`);
  }
}
