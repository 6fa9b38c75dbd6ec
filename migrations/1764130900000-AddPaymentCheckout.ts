import { MigrationInterface, QueryRunner } from 'typeorm';

// The payer's hosted checkout page: a bearer token per payment for its URL, where to send the payer back,
// the page's language, and a trigger that tells listening instances when a payment's status or paid amount
// changes (pg_notify is delivered at commit, so a page never sees a change that was rolled back).
export class AddPaymentCheckout1764130900000 implements MigrationInterface {
  name = 'AddPaymentCheckout1764130900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // 32 bytes from two gen_random_uuid() (244 random bits from the server's strong random source), base64url
    // without padding. The volatile default also gives every existing payment its own token.
    await queryRunner.query(`
      ALTER TABLE payment
        ADD COLUMN checkout_token text NOT NULL DEFAULT translate(encode(decode(
          replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/=', '-_'),
        ADD COLUMN return_url text,
        ADD COLUMN cancel_url text,
        ADD COLUMN locale text NOT NULL DEFAULT 'vi',
        ADD CONSTRAINT payment_checkout_token_uq UNIQUE (checkout_token),
        ADD CONSTRAINT payment_locale_ck CHECK (locale IN ('vi', 'en')),
        ADD CONSTRAINT payment_return_url_ck CHECK (char_length(return_url) <= 2048),
        ADD CONSTRAINT payment_cancel_url_ck CHECK (char_length(cancel_url) <= 2048)`);
    await queryRunner.query(`
      CREATE FUNCTION payment_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('payment_change', json_build_object(
          'id', NEW.id, 'status', NEW.status, 'amount', NEW.amount, 'amountPaid', NEW.amount_paid)::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER payment_notify_change_trg
        AFTER UPDATE OF status, amount_paid ON payment
        FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.amount_paid IS DISTINCT FROM NEW.amount_paid)
        EXECUTE FUNCTION payment_notify_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER payment_notify_change_trg ON payment`);
    await queryRunner.query(`DROP FUNCTION payment_notify_change()`);
    await queryRunner.query(`
      ALTER TABLE payment
        DROP CONSTRAINT payment_cancel_url_ck,
        DROP CONSTRAINT payment_return_url_ck,
        DROP CONSTRAINT payment_locale_ck,
        DROP CONSTRAINT payment_checkout_token_uq,
        DROP COLUMN locale,
        DROP COLUMN cancel_url,
        DROP COLUMN return_url,
        DROP COLUMN checkout_token`);
  }
}
