import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRefund1764131000000 implements MigrationInterface {
  name = 'CreateRefund1764131000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A refund of a payment's money (payment_id) or of one review-queue transfer (source_transaction_id).
    // client_id owns it (the payment's client; null for money no payment claims); created_by_client_id is
    // who asked, and scopes the Idempotency-Key.
    await queryRunner.query(`
      CREATE TABLE refund (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        payment_id uuid,
        source_transaction_id uuid,
        client_id uuid,
        created_by_client_id uuid NOT NULL,
        created_by text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        amount bigint NOT NULL,
        reason text NOT NULL,
        metadata json,
        method text NOT NULL,
        status text NOT NULL,
        failure_code text,
        failure_message text,
        payer_account text,
        completed_reference text,
        completed_note text,
        completed_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        CONSTRAINT refund_pk PRIMARY KEY (id),
        CONSTRAINT refund_payment_fk FOREIGN KEY (payment_id) REFERENCES payment (id),
        CONSTRAINT refund_source_transaction_fk FOREIGN KEY (source_transaction_id) REFERENCES bank_transaction (id),
        CONSTRAINT refund_client_fk FOREIGN KEY (client_id) REFERENCES api_client (id),
        CONSTRAINT refund_created_by_client_fk FOREIGN KEY (created_by_client_id) REFERENCES api_client (id),
        CONSTRAINT refund_idempotency_uq UNIQUE (created_by_client_id, idempotency_key),
        CONSTRAINT refund_target_ck CHECK (payment_id IS NOT NULL OR source_transaction_id IS NOT NULL),
        CONSTRAINT refund_amount_ck CHECK (amount BETWEEN 1 AND 9999999999999),
        CONSTRAINT refund_reason_ck CHECK (char_length(reason) BETWEEN 1 AND 255),
        CONSTRAINT refund_idempotency_key_ck CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
        CONSTRAINT refund_method_ck CHECK (method IN ('vietqr', 'manual')),
        CONSTRAINT refund_status_ck
          CHECK (status IN ('PENDING', 'UNKNOWN', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED'))
      )`);
    await queryRunner.query(`CREATE INDEX refund_payment_idx ON refund (payment_id, seq)`);
    await queryRunner.query(`CREATE INDEX refund_client_seq_idx ON refund (client_id, seq DESC)`);
    await queryRunner.query(`CREATE INDEX refund_seq_idx ON refund (seq DESC)`);

    // One VietQR refund call per bank transfer a refund draws from (VietQR refunds by the transfer's
    // reference). state: pending (not sent) → sending (claimed, maybe sent) → succeeded | failed |
    // unknown (answer lost: settled from check-order) | requires_action (a person finishes it).
    await queryRunner.query(`
      CREATE TABLE refund_part (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        refund_id uuid NOT NULL,
        seq integer NOT NULL,
        source_transaction_id uuid NOT NULL,
        source_reference text NOT NULL,
        amount bigint NOT NULL,
        state text NOT NULL,
        multi_times boolean,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        provider_reference text,
        settled_by text,
        vietqr_code text,
        error_message text,
        debit_transaction_id uuid,
        settled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT refund_part_pk PRIMARY KEY (id),
        CONSTRAINT refund_part_refund_fk FOREIGN KEY (refund_id) REFERENCES refund (id),
        CONSTRAINT refund_part_source_transaction_fk
          FOREIGN KEY (source_transaction_id) REFERENCES bank_transaction (id),
        CONSTRAINT refund_part_debit_transaction_fk
          FOREIGN KEY (debit_transaction_id) REFERENCES bank_transaction (id),
        CONSTRAINT refund_part_seq_uq UNIQUE (refund_id, seq),
        CONSTRAINT refund_part_debit_uq UNIQUE (debit_transaction_id),
        CONSTRAINT refund_part_amount_ck CHECK (amount > 0),
        CONSTRAINT refund_part_state_ck
          CHECK (state IN ('pending', 'sending', 'unknown', 'succeeded', 'failed', 'requires_action')),
        CONSTRAINT refund_part_settled_by_ck CHECK (settled_by IN ('vietqr', 'check_order', 'manual'))
      )`);
    // What is still refundable of a transfer: its amount minus its parts that did not fail.
    await queryRunner.query(`CREATE INDEX refund_part_source_idx ON refund_part (source_transaction_id)`);
    // The worker's list of due work.
    await queryRunner.query(
      `CREATE INDEX refund_part_due_idx ON refund_part (next_attempt_at)
       WHERE state IN ('pending', 'sending', 'unknown')`,
    );
    await queryRunner.query(
      `CREATE INDEX refund_part_provider_reference_idx ON refund_part (provider_reference)
       WHERE provider_reference IS NOT NULL`,
    );

    // The payment shows what was refunded; kept by the refunds module in the refund's transaction, under
    // the payment's row lock (payments only reads them).
    await queryRunner.query(`
      ALTER TABLE payment
        ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0,
        ADD COLUMN refund_status text NOT NULL DEFAULT 'none',
        ADD CONSTRAINT payment_amount_refunded_ck CHECK (amount_refunded >= 0),
        ADD CONSTRAINT payment_refund_status_ck CHECK (refund_status IN ('none', 'partial', 'full'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE payment
        DROP CONSTRAINT payment_refund_status_ck,
        DROP CONSTRAINT payment_amount_refunded_ck,
        DROP COLUMN refund_status,
        DROP COLUMN amount_refunded`);
    await queryRunner.query(`DROP TABLE refund_part`);
    await queryRunner.query(`DROP TABLE refund`);
  }
}
