import { bool, Env, EnvError, EnvReader, int } from './env-schema.js';

/** One entry of a reconciliation schedule: its label as configured ('7m') and its delay. */
export interface ScheduleStep {
  label: string;
  seconds: number;
}

export interface ReconcileConfig {
  /** RECONCILE_ENABLED: run the scheduled check-order reconciliation on this instance. */
  enabled: boolean;
  /** Delays after a payment's creation at which a PENDING/PARTIALLY_PAID payment is checked (and at expiry). */
  schedule: ScheduleStep[];
  /** Delays after EXPIRED/CANCELLED at which the payment is checked once more each. */
  afterFinalSchedule: ScheduleStep[];
  /** check-order calls per second across all instances. */
  ratePerSecond: number;
  /** How often an idle instance looks for due checks and plans new ones. */
  pollIntervalMs: number;
  /** First back-off of a failed last check (it has no later step to retry it); doubles per attempt. */
  retryBaseMs: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_DELAY_SECONDS = 30 * 86_400;

/** "7m,20m,60m" → steps in increasing order; "none" → no steps. Units s, m, h, d. */
export function parseSchedule(name: string, value: string): ScheduleStep[] {
  if (value.trim().toLowerCase() === 'none') return [];
  const steps = value.split(',').map((part) => {
    const label = part.trim();
    const match = /^(\d{1,7})([smhd])$/.exec(label);
    if (!match)
      throw new EnvError(`${name} must be delays like 7m,20m,60m (units s, m, h, d), got "${label}"`);
    const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
    if (seconds < 1 || seconds > MAX_DELAY_SECONDS) {
      throw new EnvError(`${name}: each delay must be between 1s and 30d, got "${label}"`);
    }
    return { label, seconds };
  });
  if (steps.length > 20) throw new EnvError(`${name} must list at most 20 delays`);
  for (let i = 1; i < steps.length; i++) {
    if (steps[i].seconds <= steps[i - 1].seconds) throw new EnvError(`${name} must list increasing delays`);
  }
  return steps;
}

function rate(env: Env, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(value)) throw new EnvError(`${name} must be a number, got "${value}"`);
  const parsed = Number(value);
  if (parsed < 0.01 || parsed > 1000) throw new EnvError(`${name} must be between 0.01 and 1000`);
  return parsed;
}

export const DEFAULT_SCHEDULE = '7m,20m,60m';
export const DEFAULT_AFTER_FINAL_SCHEDULE = '10m,1h,24h';

export function loadReconcileConfig(env: Env, r: EnvReader): ReconcileConfig {
  const schedule = (name: string, fallback: string) =>
    r.read(() => parseSchedule(name, env[name]?.trim() || fallback), parseSchedule(name, fallback));
  return {
    enabled: r.read(() => bool(env, 'RECONCILE_ENABLED', true), true),
    schedule: schedule('RECONCILE_SCHEDULE', DEFAULT_SCHEDULE),
    afterFinalSchedule: schedule('RECONCILE_AFTER_FINAL_SCHEDULE', DEFAULT_AFTER_FINAL_SCHEDULE),
    ratePerSecond: r.read(() => rate(env, 'RECONCILE_RATE_PER_SECOND', 5), 5),
    pollIntervalMs: r.read(() => int(env, 'RECONCILE_POLL_INTERVAL_MS', 1_000, 50, 60_000), 1_000),
    retryBaseMs: r.read(() => int(env, 'RECONCILE_RETRY_BASE_MS', 600_000, 100, 86_400_000), 600_000),
  };
}
