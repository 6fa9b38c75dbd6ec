import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutboxEvent1764130100000 implements MigrationInterface {
  name = 'CreateOutboxEvent1764130100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_event (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        type text NOT NULL,
        client_id uuid,
        subject_id uuid,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        CONSTRAINT outbox_event_pk PRIMARY KEY (id),
        CONSTRAINT outbox_event_client_fk FOREIGN KEY (client_id) REFERENCES api_client (id)
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_event_undispatched_idx ON outbox_event (seq) WHERE dispatched_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX outbox_event_subject_idx ON outbox_event (subject_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_event`);
  }
}
