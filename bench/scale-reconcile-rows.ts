// reconcile_check rows as the scheduler leaves them (src/modules/reconciliation), for the VietQR payments of
// the generation: the open phase's steps that fall before expiry and the expiry itself, then, for payments
// that expired or were cancelled, the final phase's steps; each done, skipped (the payment had moved on when
// it came due) or, when due in the last hour or later, still pending: the scheduler an hour behind (VietQR's
// check-order was down), so that recording the background work sees checks claimed and finished.
import {
  DEFAULT_AFTER_FINAL_SCHEDULE,
  DEFAULT_SCHEDULE,
  parseSchedule,
} from '../src/config/reconcile-config.js';
import { EXPIRY_STEP } from '../src/modules/reconciliation/reconcile-checks.repository.js';
import { DataSpec, Event, Payment } from './scale-data.js';
import type { TableRows } from './scale-rows.js';
import { at, cols, Field, line } from './scale-copy-text.js';

// The service's default schedules, as [label, delay in ms].
const stepsOf = (value: string) =>
  parseSchedule('schedule', value).map((s): [string, number] => [s.label, s.seconds * 1000]);
const OPEN_STEPS = stepsOf(DEFAULT_SCHEDULE);
const FINAL_STEPS = stepsOf(DEFAULT_AFTER_FINAL_SCHEDULE);
const BACKLOG_MS = 3_600_000;

/** When the payment stopped being open (paid in full, expired, cancelled); null while it is open. */
function closedAt(p: Payment): number | null {
  if (p.status === 'PENDING') return null;
  if (p.status === 'PAID' || p.status === 'OVERPAID') return p.links[p.links.length - 1]?.at ?? p.updatedAt;
  return p.updatedAt;
}

function check(spec: DataSpec, p: Payment, phase: string, step: string, due: number, moved: boolean) {
  const planned = (phase === 'open' ? p.createdAt : p.updatedAt) + 1_000;
  const fields: Field[] = [p.id, phase, step, at(due)];
  if (due > spec.now - BACKLOG_MS)
    return line([...fields, 'pending', 0, null, null, null, 0, null, at(planned), null]);
  if (moved)
    return line([...fields, 'skipped', 0, null, null, 'skipped', 0, null, at(planned), at(due + 1_000)]);
  return line([...fields, 'done', 1, null, 'bench-instance', 'clean', 0, null, at(planned), at(due + 2_000)]);
}

export function reconcileChecks(spec: DataSpec): TableRows {
  return {
    table: 'reconcile_check',
    wanted: () => false,
    columns: cols(
      `payment_id phase step due_at status attempts lease_until claimed_by outcome recovered last_error created_at finished_at`,
    ),
    rows(e: Event) {
      if (e.kind !== 'payment' || e.p.traceId === null) return '';
      const p = e.p;
      const closed = closedAt(p);
      let out = '';
      for (const [step, delay] of OPEN_STEPS) {
        const due = p.createdAt + delay;
        if (due < p.expiresAt) out += check(spec, p, 'open', step, due, closed !== null && closed <= due);
      }
      out += check(spec, p, 'open', EXPIRY_STEP, p.expiresAt, closed !== null && closed < p.expiresAt);
      if (p.status === 'EXPIRED' || p.status === 'CANCELLED') {
        for (const [step, delay] of FINAL_STEPS)
          out += check(spec, p, 'final', step, p.updatedAt + delay, false);
      }
      return out;
    },
  };
}
