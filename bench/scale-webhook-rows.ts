// The COPY lines of the webhook tables: one delivery per outbox event (scale-events.ts), and each delivery's
// attempts, as the dispatcher writes them (one for a delivery that succeeded at once, twelve for one that
// failed for good or is still retrying).
import { DataSpec, TABLE, unit, uuidOf } from './scale-data.js';
import { at, cols, line } from './scale-copy-text.js';
import { eventsOf, late } from './scale-events.js';
import type { TableRows } from './scale-rows.js';

const ATTEMPTS_OF_FAILED = 12;
// Attempts after the first: 1 min, 5 min, 30 min, then hourly (about the service's schedule).
const RETRY_DELAYS_MS = [60_000, 300_000, 1_800_000];
const retryDelay = (k: number) => RETRY_DELAYS_MS[k] ?? 3_600_000;

interface Delivery {
  id: string;
  createdAt: number;
  status: 'delivered' | 'failed' | 'pending';
  attempts: number;
}

/** The i-th delivery (of the event its step made at `eventAt`), the same for both tables. */
function deliveryOf(spec: DataSpec, i: number, eventAt: number): Delivery {
  const u = unit(i, 13);
  // Mostly delivered; some failed for good; a few still retrying, due later than the bench lasts.
  const status = u < 0.96 ? 'delivered' : u < 0.999 ? 'failed' : 'pending';
  const createdAt = eventAt + 500;
  return {
    id: uuidOf(TABLE.delivery, spec.tag, i, createdAt),
    createdAt,
    status,
    attempts: status === 'delivered' ? 1 : ATTEMPTS_OF_FAILED,
  };
}

export function deliveries(spec: DataSpec): TableRows {
  let n = 0;
  return {
    table: 'webhook_delivery',
    wanted: late,
    columns: cols(
      `id event_id endpoint_id client_id status attempt_count next_attempt_at retry_until last_status_code last_error created_at delivered_at`,
    ),
    rows(e) {
      let out = '';
      for (const ev of eventsOf(e)) {
        const i = n++;
        const d = deliveryOf(spec, i, ev.at);
        const next = d.status === 'pending' ? spec.now + 3_600_000 : d.createdAt;
        out += line([
          d.id,
          uuidOf(TABLE.event, spec.tag, i, ev.at),
          spec.endpointId,
          spec.clientId,
          d.status,
          d.attempts,
          at(next),
          at(d.status === 'pending' ? spec.now + 86_400_000 : d.createdAt + 90_000_000),
          d.status === 'delivered' ? 200 : 500,
          d.status === 'delivered' ? null : 'HTTP 500',
          at(d.createdAt),
          d.status === 'delivered' ? at(d.createdAt + 300) : null,
        ]);
      }
      return out;
    },
  };
}

export function attempts(spec: DataSpec): TableRows {
  let n = 0;
  let a = 0;
  return {
    table: 'webhook_attempt',
    wanted: late,
    columns: cols(
      `id delivery_id attempt_number claimed_by started_at finished_at status_code latency_ms error response_snippet`,
    ),
    rows(e) {
      let out = '';
      for (const ev of eventsOf(e)) {
        const d = deliveryOf(spec, n++, ev.at);
        const ok = d.status === 'delivered';
        let startedAt = d.createdAt;
        for (let k = 1; k <= d.attempts; k++) {
          out += line([
            uuidOf(TABLE.attempt, spec.tag, a++, startedAt),
            d.id,
            k,
            'bench-instance',
            at(startedAt),
            at(startedAt + (ok ? 300 : 120)),
            ok ? 200 : 500,
            ok ? 300 : 120,
            ok ? null : 'HTTP 500',
            ok ? '{"ok":true}' : 'Internal Server Error',
          ]);
          startedAt += retryDelay(k - 1);
        }
      }
      return out;
    },
  };
}
