import { MigrationInterface, QueryRunner } from 'typeorm';

// A credit sent in one round trip (BENCHMARKS.md) is decided in the service from the payment as this
// instance last saw it, before PostgreSQL has answered anything: its first statement locks the payment
// only if the row is still that version, and must then fail the whole transaction when it is not, because
// the writes decided from it are already on their way. Plain SQL cannot raise; this function does, with
// its own SQLSTATE, which the service reads as "decide again, in two trips".
export class AddExpectUnchanged1764131500000 implements MigrationInterface {
  name = 'AddExpectUnchanged1764131500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION expect_unchanged(unchanged boolean, what text) RETURNS boolean
        LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        IF unchanged IS NOT TRUE THEN
          RAISE EXCEPTION '% changed since this instance read it', what USING ERRCODE = 'VQ409';
        END IF;
        RETURN true;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION expect_unchanged(boolean, text)`);
  }
}
