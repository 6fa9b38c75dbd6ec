import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhookTables1764130500000 implements MigrationInterface {
  name = 'CreateWebhookTables1764130500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoint (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        client_id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL DEFAULT '{}',
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT webhook_endpoint_pk PRIMARY KEY (id),
        CONSTRAINT webhook_endpoint_client_fk FOREIGN KEY (client_id) REFERENCES api_client (id)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_endpoint_client_idx ON webhook_endpoint (client_id, seq) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_delivery (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        event_id uuid NOT NULL,
        endpoint_id uuid NOT NULL,
        client_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempt_count integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        retry_until timestamptz NOT NULL,
        claimed_by text,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT webhook_delivery_pk PRIMARY KEY (id),
        CONSTRAINT webhook_delivery_event_endpoint_uq UNIQUE (event_id, endpoint_id),
        CONSTRAINT webhook_delivery_event_fk FOREIGN KEY (event_id) REFERENCES outbox_event (id),
        CONSTRAINT webhook_delivery_endpoint_fk FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoint (id),
        CONSTRAINT webhook_delivery_client_fk FOREIGN KEY (client_id) REFERENCES api_client (id),
        CONSTRAINT webhook_delivery_status_ck
          CHECK (status IN ('pending', 'delivering', 'delivered', 'failed'))
      )`);
    // The dispatcher's claim: due rows only (pending, or delivering with an expired lease).
    await queryRunner.query(
      `CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at)
       WHERE status IN ('pending', 'delivering')`,
    );
    await queryRunner.query(`CREATE INDEX webhook_delivery_client_idx ON webhook_delivery (client_id, seq)`);
    await queryRunner.query(
      `CREATE INDEX webhook_delivery_client_status_idx ON webhook_delivery (client_id, status, seq)`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_attempt (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL,
        attempt_number integer NOT NULL,
        claimed_by text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        status_code integer,
        latency_ms integer,
        error text,
        response_snippet text,
        CONSTRAINT webhook_attempt_pk PRIMARY KEY (id),
        CONSTRAINT webhook_attempt_delivery_fk FOREIGN KEY (delivery_id) REFERENCES webhook_delivery (id),
        CONSTRAINT webhook_attempt_snippet_ck CHECK (octet_length(response_snippet) <= 512)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_attempt_delivery_idx ON webhook_attempt (delivery_id, attempt_number)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_attempt`);
    await queryRunner.query(`DROP TABLE webhook_delivery`);
    await queryRunner.query(`DROP TABLE webhook_endpoint`);
  }
}
