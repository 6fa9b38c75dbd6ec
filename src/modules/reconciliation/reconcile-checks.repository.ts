import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database.js';
import type { ScheduleStep } from '../../config/reconcile-config.js';

export type CheckPhase = 'open' | 'final';
export type CheckOutcome = 'recovered' | 'clean' | 'skipped' | 'error';

/** A scheduled check this instance claimed, with what check-order needs of its payment. */
export interface ClaimedCheck {
  id: string;
  paymentId: string;
  phase: CheckPhase;
  step: string;
  attempts: number;
  code: string;
  bankAccount: string;
  paymentStatus: string;
  /** How long to wait for the global rate slot this claim took (ms, 0 when due now). */
  waitMs: number;
}

// The step of an open payment at its expiry (configured steps are durations like '7m').
export const EXPIRY_STEP = 'expiry';

// Whether a check still has a purpose: open-phase checks while the payment is open (the expiry one also
// right after the sweeper expired it), final-phase checks while it is EXPIRED or CANCELLED.
const APPLICABLE = `(
  (c.phase = 'open' AND (p.status IN ('PENDING', 'PARTIALLY_PAID') OR (c.step = '${EXPIRY_STEP}' AND p.status = 'EXPIRED')))
  OR (c.phase = 'final' AND p.status IN ('EXPIRED', 'CANCELLED'))
)`;

const DUE = `c.due_at <= now() AND (c.status = 'pending' OR (c.status = 'running' AND c.lease_until < now()))`;

function stepArrays(steps: ScheduleStep[]): [string[], Array<number | null>] {
  return [steps.map((s) => s.label), steps.map((s) => s.seconds)];
}

@Injectable()
export class ReconcileChecksRepository {
  constructor(private readonly db: Database) {}

  /**
   * Plans the open-phase checks (each delay after creation that falls before expiry, and the expiry) of
   * open VietQR payments changed since `since` that have none yet. Idempotent across instances (the unique
   * step key). Returns the database's time, the next call's `since` basis.
   */
  async planOpen(steps: ScheduleStep[], since: Date): Promise<{ planned: number; now: Date }> {
    const [labels, seconds] = stepArrays([
      ...steps,
      { label: EXPIRY_STEP, seconds: null as unknown as number },
    ]);
    const rows: Array<{ planned: string; now: Date }> = await this.db.query(
      `WITH steps AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS s(label, secs)),
       ins AS (
         INSERT INTO reconcile_check (payment_id, phase, step, due_at)
         SELECT p.id, 'open', s.label,
                CASE WHEN s.secs IS NULL THEN p.expires_at ELSE p.created_at + make_interval(secs => s.secs) END
           FROM payment p CROSS JOIN steps s
          WHERE p.status IN ('PENDING', 'PARTIALLY_PAID') AND p.qr_provider = 'vietqr'
            AND p.bank_account IS NOT NULL AND p.updated_at >= $3
            AND (s.secs IS NULL OR p.created_at + make_interval(secs => s.secs) < p.expires_at)
            AND NOT EXISTS (SELECT 1 FROM reconcile_check c WHERE c.payment_id = p.id AND c.phase = 'open')
         ON CONFLICT ON CONSTRAINT reconcile_check_step_uq DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins) AS planned, now() AS now`,
      [labels, seconds, since],
    );
    return { planned: Number(rows[0].planned), now: rows[0].now };
  }

  /**
   * Plans the final-phase checks (each delay after the payment became EXPIRED or CANCELLED) of VietQR
   * payments changed since `since` that have none yet.
   */
  async planFinal(steps: ScheduleStep[], since: Date): Promise<number> {
    if (steps.length === 0) return 0;
    const [labels, seconds] = stepArrays(steps);
    const rows: Array<{ planned: string }> = await this.db.query(
      `WITH steps AS (SELECT * FROM unnest($1::text[], $2::float8[]) AS s(label, secs)),
       ins AS (
         INSERT INTO reconcile_check (payment_id, phase, step, due_at)
         SELECT p.id, 'final', s.label, f.final_at + make_interval(secs => s.secs)
           FROM payment p
           CROSS JOIN LATERAL (
             SELECT coalesce(min(h.created_at), p.updated_at) AS final_at FROM payment_history h
              WHERE h.payment_id = p.id AND h.to_status = p.status
           ) f
           CROSS JOIN steps s
          WHERE p.status IN ('EXPIRED', 'CANCELLED') AND p.qr_provider = 'vietqr'
            AND p.bank_account IS NOT NULL AND p.updated_at >= $3
            AND NOT EXISTS (SELECT 1 FROM reconcile_check c WHERE c.payment_id = p.id AND c.phase = 'final')
         ON CONFLICT ON CONSTRAINT reconcile_check_step_uq DO NOTHING
         RETURNING 1
       )
       SELECT count(*) AS planned FROM ins`,
      [labels, seconds, since],
    );
    return Number(rows[0].planned);
  }

  /** Due checks whose payment moved on (paid, or final before an open-phase step): done without a call. */
  async skipInapplicable(limit: number): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH due AS (
         SELECT c.id FROM reconcile_check c JOIN payment p ON p.id = c.payment_id
          WHERE ${DUE} AND NOT ${APPLICABLE}
          ORDER BY c.due_at LIMIT $1
          FOR UPDATE OF c SKIP LOCKED
       )
       UPDATE reconcile_check c SET status = 'skipped', outcome = 'skipped', finished_at = now(), lease_until = NULL
         FROM due WHERE c.id = due.id
       RETURNING c.id`,
      [limit],
    );
    return rows.length;
  }

  /**
   * Claims the most overdue applicable check (SKIP LOCKED: never one another instance holds) and, in the
   * same statement, the next slot of the global rate: the caller waits `waitMs` before calling VietQR. The
   * lease runs from that slot; a claim whose holder died is due again when it ends.
   */
  async claimNext(
    instance: string,
    spacingSeconds: number,
    leaseSeconds: number,
  ): Promise<ClaimedCheck | null> {
    const rows: ClaimedCheck[] = await this.db.query(
      `WITH due AS (
         SELECT c.id FROM reconcile_check c JOIN payment p ON p.id = c.payment_id
          WHERE ${DUE} AND ${APPLICABLE}
          ORDER BY c.due_at LIMIT 1
          FOR UPDATE OF c SKIP LOCKED
       ), slot AS (
         UPDATE reconcile_rate
            SET next_slot_at = greatest(next_slot_at, clock_timestamp()) + make_interval(secs => $2)
          WHERE id = 1 AND EXISTS (SELECT 1 FROM due)
          RETURNING next_slot_at - make_interval(secs => $2) AS at
       ), claimed AS (
         UPDATE reconcile_check c
            SET status = 'running', attempts = c.attempts + 1, claimed_by = $1,
                lease_until = (SELECT at FROM slot) + make_interval(secs => $3)
           FROM due WHERE c.id = due.id
         RETURNING c.*
       )
       SELECT c.id::text AS id, c.payment_id AS "paymentId", c.phase, c.step, c.attempts, p.code,
              p.bank_account AS "bankAccount", p.status AS "paymentStatus",
              greatest(0, extract(epoch FROM (slot.at - clock_timestamp())) * 1000)::float8 AS "waitMs"
         FROM claimed c JOIN payment p ON p.id = c.payment_id CROSS JOIN slot`,
      [instance, spacingSeconds, leaseSeconds],
    );
    return rows[0] ?? null;
  }

  async finish(
    id: string,
    outcome: Exclude<CheckOutcome, 'skipped'>,
    recovered: number,
    error: string | null,
  ) {
    await this.db.query(
      `UPDATE reconcile_check
          SET status = CASE WHEN $2 = 'error' THEN 'failed' ELSE 'done' END, outcome = $2, recovered = $3,
              last_error = $4, finished_at = now(), lease_until = NULL
        WHERE id = $1`,
      [id, outcome, recovered, error],
    );
  }

  /** A failed check with no later step to stand in for it is due again after `delayMs`. */
  async retryLater(id: string, delayMs: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE reconcile_check
          SET status = 'pending', due_at = now() + make_interval(secs => $2), last_error = $3, lease_until = NULL
        WHERE id = $1`,
      [id, delayMs / 1000, error],
    );
  }

  /** Gives a claimed check back untouched (shutdown before its slot came). */
  async release(id: string): Promise<void> {
    await this.db.query(
      `UPDATE reconcile_check SET status = 'pending', attempts = attempts - 1, lease_until = NULL, claimed_by = NULL
        WHERE id = $1 AND status = 'running'`,
      [id],
    );
  }

  /** Whether a later check of the payment is still to come (it will retry what this one could not). */
  async hasLaterCheck(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM reconcile_check later JOIN reconcile_check c ON c.payment_id = later.payment_id
        WHERE c.id = $1 AND later.id <> c.id AND later.status = 'pending' AND later.due_at > c.due_at
        LIMIT 1`,
      [id],
    );
    return rows.length > 0;
  }
}
