import { MigrationInterface, QueryRunner } from 'typeorm';

// Checkout pages no longer learn of payment changes through pg_notify: PostgreSQL serialises the commits of
// notifying transactions (one global lock held through the commit's flush), so the trigger halved the rate
// at which credits could commit. Each instance now re-reads the payments its pages watch
// (CHECKOUT_POLL_INTERVAL_MS). down() puts the trigger of AddPaymentCheckout back as it was.
export class DropPaymentNotifyTrigger1764131200000 implements MigrationInterface {
  name = 'DropPaymentNotifyTrigger1764131200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER payment_notify_change_trg ON payment`);
    await queryRunner.query(`DROP FUNCTION payment_notify_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
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
}
