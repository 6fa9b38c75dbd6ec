import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBankTransaction1764130300000 implements MigrationInterface {
  name = 'CreateBankTransaction1764130300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The inbound ledger: one row per bank transaction VietQR reported, plus one row per conflicting
    // re-delivery (same reference, other amount or content), which points at the original by conflict_of.
    await queryRunner.query(`
      CREATE TABLE bank_transaction (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        reference text NOT NULL,
        trans_type text NOT NULL,
        bank_account text NOT NULL,
        amount bigint NOT NULL,
        content text NOT NULL,
        transaction_id text,
        reference_number text,
        order_id text,
        sign text,
        terminal_code text,
        sub_terminal_code text,
        service_code text,
        url_link text,
        transaction_time timestamptz,
        raw_body text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'received',
        unmatched_reason text,
        payment_id uuid,
        client_id uuid,
        conflict_of uuid,
        linked_at timestamptz,
        linked_by text,
        CONSTRAINT bank_transaction_pk PRIMARY KEY (id),
        CONSTRAINT bank_transaction_trans_type_ck CHECK (trans_type IN ('C', 'D')),
        CONSTRAINT bank_transaction_amount_ck CHECK (amount > 0),
        CONSTRAINT bank_transaction_status_ck
          CHECK (status IN ('received', 'linked', 'late', 'unmatched', 'ignored_debit', 'conflict')),
        CONSTRAINT bank_transaction_conflict_status_ck CHECK (status <> 'conflict' OR conflict_of IS NOT NULL),
        CONSTRAINT bank_transaction_client_fk FOREIGN KEY (client_id) REFERENCES api_client (id),
        CONSTRAINT bank_transaction_conflict_of_fk FOREIGN KEY (conflict_of) REFERENCES bank_transaction (id)
      )`);
    // The idempotency key of a delivery; conflicting re-deliveries are kept beside the original.
    await queryRunner.query(
      `CREATE UNIQUE INDEX bank_transaction_reference_uq ON bank_transaction (reference, trans_type, bank_account)
       WHERE conflict_of IS NULL`,
    );
    // A conflicting re-delivery is itself re-sent by VietQR on a lost answer: keep each distinct one once.
    await queryRunner.query(
      `CREATE UNIQUE INDEX bank_transaction_conflict_uq ON bank_transaction (conflict_of, amount, md5(content))
       WHERE conflict_of IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX bank_transaction_review_idx ON bank_transaction (status, seq DESC)
       WHERE status IN ('unmatched', 'late', 'conflict')`,
    );
    await queryRunner.query(
      `CREATE INDEX bank_transaction_payment_idx ON bank_transaction (payment_id) WHERE payment_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bank_transaction`);
  }
}
