import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiClient1764130000000 implements MigrationInterface {
  name = 'CreateApiClient1764130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_client (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        key_hash text NOT NULL,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CONSTRAINT api_client_pk PRIMARY KEY (id),
        CONSTRAINT api_client_key_hash_uq UNIQUE (key_hash),
        CONSTRAINT api_client_name_ck CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$')
      )`);
    // A name may be reused after its key is revoked, but only one active key per name.
    await queryRunner.query(
      `CREATE UNIQUE INDEX api_client_active_name_uq ON api_client (name) WHERE revoked_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_client`);
  }
}
