import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys get a role: every existing key is an order system; operators work the review queue. */
export class AddApiClientRole1764130700000 implements MigrationInterface {
  name = 'AddApiClientRole1764130700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_client ADD COLUMN role text NOT NULL DEFAULT 'order_system'`);
    await queryRunner.query(
      `ALTER TABLE api_client ADD CONSTRAINT api_client_role_ck CHECK (role IN ('order_system', 'operator'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Without the column an operator key would become an order-system key: revoke operators instead.
    await queryRunner.query(
      `UPDATE api_client SET revoked_at = now() WHERE role = 'operator' AND revoked_at IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE api_client DROP CONSTRAINT api_client_role_ck`);
    await queryRunner.query(`ALTER TABLE api_client DROP COLUMN role`);
  }
}
