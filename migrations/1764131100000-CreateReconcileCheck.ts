import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReconcileCheck1764131100000 implements MigrationInterface {
  name = 'CreateReconcileCheck1764131100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The reconciliation schedule: one row per planned check-order of a payment. Rows are claimed with
    // FOR UPDATE SKIP LOCKED, so each runs once whatever the number of instances, and live through restarts.
    // phase 'open': while PENDING/PARTIALLY_PAID (delays after creation, and its expiry); 'final': after
    // EXPIRED/CANCELLED. step is the schedule entry as configured ('7m', 'expiry', '24h').
    await queryRunner.query(`
      CREATE TABLE reconcile_check (
        id bigint GENERATED ALWAYS AS IDENTITY,
        payment_id uuid NOT NULL,
        phase text NOT NULL,
        step text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        claimed_by text,
        outcome text,
        recovered integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT reconcile_check_pk PRIMARY KEY (id),
        CONSTRAINT reconcile_check_payment_fk FOREIGN KEY (payment_id) REFERENCES payment (id) ON DELETE CASCADE,
        CONSTRAINT reconcile_check_step_uq UNIQUE (payment_id, phase, step),
        CONSTRAINT reconcile_check_phase_ck CHECK (phase IN ('open', 'final')),
        CONSTRAINT reconcile_check_status_ck CHECK (status IN ('pending', 'running', 'done', 'skipped', 'failed')),
        CONSTRAINT reconcile_check_outcome_ck
          CHECK (outcome IS NULL OR outcome IN ('recovered', 'clean', 'skipped', 'error'))
      )`);
    // The work list: due rows, and running rows whose holder may have died (lease over).
    await queryRunner.query(
      `CREATE INDEX reconcile_check_due_idx ON reconcile_check (due_at) WHERE status IN ('pending', 'running')`,
    );
    // The global pace of check-order calls, shared by every instance: each call takes the next slot.
    await queryRunner.query(`
      CREATE TABLE reconcile_rate (
        id smallint NOT NULL DEFAULT 1,
        next_slot_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reconcile_rate_pk PRIMARY KEY (id),
        CONSTRAINT reconcile_rate_single_ck CHECK (id = 1)
      )`);
    await queryRunner.query(`INSERT INTO reconcile_rate (id) VALUES (1)`);
    // The planner's second work list: payments that became final recently and still need their checks.
    await queryRunner.query(
      `CREATE INDEX payment_final_updated_idx ON payment (updated_at) WHERE status IN ('EXPIRED', 'CANCELLED')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX payment_final_updated_idx`);
    await queryRunner.query(`DROP TABLE reconcile_rate`);
    await queryRunner.query(`DROP TABLE reconcile_check`);
  }
}
