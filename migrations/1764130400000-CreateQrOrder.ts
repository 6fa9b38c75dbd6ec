import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateQrOrder1764130400000 implements MigrationInterface {
  name = 'CreateQrOrder1764130400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One VietQR order per payment: the claim (pending + claimed_until) keeps concurrent or retried issues of
    // a payment from ordering twice upstream; VietQR's answer is kept because matching depends on it.
    await queryRunner.query(`
      CREATE TABLE qr_order (
        payment_id uuid NOT NULL,
        order_id text NOT NULL,
        amount bigint NOT NULL,
        status text NOT NULL,
        request jsonb NOT NULL,
        response jsonb,
        content text,
        trace_id text,
        qr_code text,
        qr_link text,
        transaction_ref_id text,
        bank_code text NOT NULL,
        bank_account text NOT NULL,
        account_name text NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        last_error jsonb,
        claimed_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        issued_at timestamptz,
        CONSTRAINT qr_order_pk PRIMARY KEY (payment_id),
        CONSTRAINT qr_order_order_id_uq UNIQUE (order_id),
        CONSTRAINT qr_order_status_ck CHECK (status IN ('pending', 'issued', 'failed')),
        CONSTRAINT qr_order_amount_ck CHECK (amount > 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE qr_order`);
  }
}
