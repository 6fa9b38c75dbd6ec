import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePayment1764130200000 implements MigrationInterface {
  name = 'CreatePayment1764130200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE payment (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL,
        order_id text NOT NULL,
        code text NOT NULL,
        amount bigint NOT NULL,
        amount_paid bigint NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'PENDING',
        description text,
        metadata json,
        expires_at timestamptz NOT NULL,
        qr_provider text,
        qr_content text,
        qr_trace_id text,
        qr_code text,
        qr_link text,
        qr_transaction_ref_id text,
        bank_code text,
        bank_account text,
        account_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_pk PRIMARY KEY (id),
        CONSTRAINT payment_client_fk FOREIGN KEY (client_id) REFERENCES api_client (id),
        CONSTRAINT payment_order_uq UNIQUE (client_id, order_id),
        CONSTRAINT payment_code_uq UNIQUE (code),
        CONSTRAINT payment_code_ck CHECK (code ~ '^[A-Z0-9]{1,13}$'),
        CONSTRAINT payment_order_id_ck CHECK (char_length(order_id) BETWEEN 1 AND 64),
        CONSTRAINT payment_amount_ck CHECK (amount BETWEEN 1 AND 999999999999),
        CONSTRAINT payment_amount_paid_ck CHECK (amount_paid >= 0),
        CONSTRAINT payment_status_ck CHECK (
          status IN ('PENDING', 'PARTIALLY_PAID', 'PAID', 'OVERPAID', 'EXPIRED', 'CANCELLED')
        )
      )`);
    // Listing newest first per client, with (created_at, id) as the cursor.
    await queryRunner.query(
      `CREATE INDEX payment_client_created_idx ON payment (client_id, created_at DESC, id DESC)`,
    );
    // Incoming transfer contents carry VietQR's trace id in any letter case.
    await queryRunner.query(
      `CREATE INDEX payment_trace_id_idx ON payment (upper(qr_trace_id)) WHERE qr_trace_id IS NOT NULL`,
    );
    // The sweeper's work list: live payments by due time.
    await queryRunner.query(
      `CREATE INDEX payment_due_idx ON payment (expires_at) WHERE status IN ('PENDING', 'PARTIALLY_PAID')`,
    );

    // A bank transaction settles at most one payment (the key). No foreign key to the ledger: it belongs to
    // the transaction-sync module's own migration.
    await queryRunner.query(`
      CREATE TABLE payment_transaction (
        bank_transaction_id uuid NOT NULL,
        payment_id uuid NOT NULL,
        reference text NOT NULL,
        amount bigint NOT NULL,
        content text NOT NULL,
        bank_account text NOT NULL,
        late boolean NOT NULL DEFAULT false,
        paid_at timestamptz,
        received_at timestamptz NOT NULL,
        linked_at timestamptz NOT NULL DEFAULT now(),
        linked_by text NOT NULL,
        CONSTRAINT payment_transaction_pk PRIMARY KEY (bank_transaction_id),
        CONSTRAINT payment_transaction_payment_fk FOREIGN KEY (payment_id) REFERENCES payment (id)
      )`);
    await queryRunner.query(
      `CREATE INDEX payment_transaction_payment_idx ON payment_transaction (payment_id, linked_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE payment_history (
        id bigint GENERATED ALWAYS AS IDENTITY,
        payment_id uuid NOT NULL,
        from_status text,
        to_status text NOT NULL,
        amount_paid bigint NOT NULL,
        actor text NOT NULL,
        reason text,
        bank_transaction_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_history_pk PRIMARY KEY (id),
        CONSTRAINT payment_history_payment_fk FOREIGN KEY (payment_id) REFERENCES payment (id)
      )`);
    await queryRunner.query(`CREATE INDEX payment_history_payment_idx ON payment_history (payment_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE payment_history`);
    await queryRunner.query(`DROP TABLE payment_transaction`);
    await queryRunner.query(`DROP TABLE payment`);
  }
}
