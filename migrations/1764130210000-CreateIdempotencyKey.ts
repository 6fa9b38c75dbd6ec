import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdempotencyKey1764130210000 implements MigrationInterface {
  name = 'CreateIdempotencyKey1764130210000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // response_body is json, not jsonb, so a replay is the first response byte for byte (key order kept).
    await queryRunner.query(`
      CREATE TABLE idempotency_key (
        client_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL,
        claim_token uuid NOT NULL,
        response_status integer,
        response_body json,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT idempotency_key_pk PRIMARY KEY (client_id, key),
        CONSTRAINT idempotency_key_client_fk FOREIGN KEY (client_id) REFERENCES api_client (id),
        CONSTRAINT idempotency_key_state_ck CHECK (state IN ('in_flight', 'completed')),
        CONSTRAINT idempotency_key_key_ck CHECK (char_length(key) BETWEEN 1 AND 255)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_key_expires_idx ON idempotency_key (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_key`);
  }
}
