import { Injectable } from '@nestjs/common';
import { Database, type SqlRunner } from '../../database/database.js';
import type { OutboxEnvelope, UndispatchedEvent } from '../outbox/outbox.types.js';

export const DELIVERY_STATUSES = ['pending', 'delivering', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface WebhookDeliveryRow {
  id: string;
  seq: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookAttemptRow {
  attemptNumber: number;
  startedAt: Date;
  finishedAt: Date | null;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  responseSnippet: string | null;
}

/** A delivery this instance leased: everything needed to send it without another query. */
export interface ClaimedDelivery {
  id: string;
  attemptId: string;
  attemptCount: number;
  url: string;
  payload: OutboxEnvelope;
  secret: string;
  previousSecret: string | null;
  /** x-request-id of the request that caused the event; null for events of background work. */
  requestId: string | null;
}

export interface AttemptOutcome {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseSnippet: string | null;
  delivered: boolean;
  /** Wait before the next attempt when this one failed. */
  retryInMs: number;
}

const COLUMNS = `d.id, d.seq, d.event_id AS "eventId", o.type AS "eventType", d.endpoint_id AS "endpointId",
  d.status, d.attempt_count AS "attemptCount", d.next_attempt_at AS "nextAttemptAt",
  d.last_status_code AS "lastStatusCode", d.last_error AS "lastError", d.created_at AS "createdAt",
  d.delivered_at AS "deliveredAt"`;

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly db: Database) {}

  /**
   * Fans out outbox events (locked by the outbox's dispatch) into deliveries, one per matching live
   * endpoint. An event of a client goes to that client's endpoints subscribed to its type (no list = all
   * types); an event of no client (transaction.unmatched) goes to every operator's endpoint that lists its
   * type explicitly. Returns how many deliveries it made.
   */
  async fanOut(db: SqlRunner, events: UndispatchedEvent[], retryWindowHours: number): Promise<number> {
    const rows: Array<{ deliveries: number }> = await db.query(
      `WITH ev AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS ev(id, type, client_id)
       ), ins AS (
         INSERT INTO webhook_delivery (event_id, endpoint_id, client_id, retry_until)
         SELECT ev.id, e.id, e.client_id, now() + $4::int * interval '1 hour'
         FROM ev JOIN webhook_endpoint e ON e.deleted_at IS NULL AND (
           (ev.client_id IS NOT NULL AND e.client_id = ev.client_id
              AND (cardinality(e.events) = 0 OR ev.type = ANY (e.events)))
           OR (ev.client_id IS NULL AND ev.type = ANY (e.events)
               AND EXISTS (SELECT 1 FROM api_client c WHERE c.id = e.client_id AND c.role = 'operator')))
         ON CONFLICT ON CONSTRAINT webhook_delivery_event_endpoint_uq DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS deliveries FROM ins`,
      [events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.clientId), retryWindowHours],
    );
    return rows[0].deliveries;
  }

  /**
   * Leases up to `limit` due deliveries for this instance and opens an attempt for each, in one statement.
   * The lease is next_attempt_at: if this instance dies, the delivery is due again when it runs out.
   */
  async claimDue(limit: number, leaseMs: number, instanceId: string): Promise<ClaimedDelivery[]> {
    return this.db.query(
      `WITH due AS (
         SELECT d.id FROM webhook_delivery d
         JOIN webhook_endpoint e ON e.id = d.endpoint_id AND e.deleted_at IS NULL
         WHERE d.status IN ('pending', 'delivering') AND d.next_attempt_at <= now()
         ORDER BY d.next_attempt_at LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_delivery d SET status = 'delivering', attempt_count = d.attempt_count + 1,
           next_attempt_at = now() + $2::int * interval '1 millisecond', claimed_by = $3
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.event_id, d.endpoint_id, d.attempt_count
       ), attempt AS (
         INSERT INTO webhook_attempt (delivery_id, attempt_number, claimed_by)
         SELECT id, attempt_count, $3 FROM claimed
         RETURNING id, delivery_id
       )
       SELECT c.id, a.id AS "attemptId", c.attempt_count AS "attemptCount", e.url, o.payload, e.secret,
         o.request_id AS "requestId",
         CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS "previousSecret"
       FROM claimed c
       JOIN attempt a ON a.delivery_id = c.id
       JOIN outbox_event o ON o.id = c.event_id
       JOIN webhook_endpoint e ON e.id = c.endpoint_id`,
      [limit, leaseMs, instanceId],
    );
  }

  /**
   * Closes the attempt and moves the delivery, in one statement. Success marks it delivered whoever sent it;
   * a failure only reschedules when this instance still holds the lease (the attempt count is the fence),
   * and ends as failed once the retry window is over or the endpoint is gone.
   */
  async recordOutcome(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<DeliveryStatus | null> {
    const rows: Array<{ status: DeliveryStatus }> = await this.db.query(
      `WITH attempt AS (
         UPDATE webhook_attempt SET finished_at = now(), status_code = $3, latency_ms = $4, error = $5,
           response_snippet = $6
         WHERE id = $2 RETURNING 1
       ), moved AS (
         UPDATE webhook_delivery d SET
           status = CASE
             WHEN $7 THEN 'delivered'
             WHEN now() >= d.retry_until
               OR EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.id = d.endpoint_id AND e.deleted_at IS NOT NULL)
               THEN 'failed'
             ELSE 'pending' END,
           next_attempt_at = CASE WHEN $7 THEN d.next_attempt_at
             ELSE least(now() + $8::int * interval '1 millisecond', d.retry_until) END,
           delivered_at = CASE WHEN $7 THEN now() ELSE d.delivered_at END,
           last_status_code = $3, last_error = $5, claimed_by = NULL
         WHERE d.id = $1
           AND (($7 AND d.status <> 'delivered') OR (d.status = 'delivering' AND d.attempt_count = $9))
         RETURNING d.status
       )
       SELECT status FROM moved`,
      [
        claim.id,
        claim.attemptId,
        outcome.statusCode,
        outcome.latencyMs,
        outcome.error,
        outcome.responseSnippet,
        outcome.delivered,
        outcome.retryInMs,
        claim.attemptCount,
      ],
    );
    return rows[0]?.status ?? null;
  }

  async listByClient(
    clientId: string,
    filter: { status?: DeliveryStatus; endpointId?: string },
    limit: number,
    beforeSeq: string | null,
  ): Promise<WebhookDeliveryRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM webhook_delivery d JOIN outbox_event o ON o.id = d.event_id
       WHERE d.client_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::uuid IS NULL OR d.endpoint_id = $3)
         AND ($4::bigint IS NULL OR d.seq < $4::bigint)
       ORDER BY d.seq DESC LIMIT $5`,
      [clientId, filter.status ?? null, filter.endpointId ?? null, beforeSeq, limit],
    );
  }

  async findOwned(clientId: string, id: string): Promise<WebhookDeliveryRow | null> {
    const rows: WebhookDeliveryRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_delivery d JOIN outbox_event o ON o.id = d.event_id
       WHERE d.id = $1 AND d.client_id = $2`,
      [id, clientId],
    );
    return rows[0] ?? null;
  }

  async listAttempts(deliveryId: string): Promise<WebhookAttemptRow[]> {
    return this.db.query(
      `SELECT attempt_number AS "attemptNumber", started_at AS "startedAt", finished_at AS "finishedAt",
         status_code AS "statusCode", latency_ms AS "latencyMs", error, response_snippet AS "responseSnippet"
       FROM webhook_attempt WHERE delivery_id = $1 ORDER BY attempt_number, started_at`,
      [deliveryId],
    );
  }

  /**
   * Makes a delivery due now. A delivery that had ended (delivered or failed) gets this one attempt more:
   * its retry window closes now, so a failure ends it as failed again rather than restarting 25 hours.
   */
  async requeueOwned(
    clientId: string,
    id: string,
  ): Promise<'requeued' | 'in_progress' | 'endpoint_gone' | null> {
    const rows: Array<{ outcome: 'requeued' | 'in_progress' | 'endpoint_gone' }> = await this.db.query(
      `WITH target AS (
         SELECT d.id, d.status, e.deleted_at IS NOT NULL AS gone
         FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
         WHERE d.id = $1 AND d.client_id = $2 FOR UPDATE OF d
       ), requeued AS (
         UPDATE webhook_delivery d SET status = 'pending', next_attempt_at = now(),
           retry_until = CASE WHEN t.status = 'pending' THEN d.retry_until ELSE now() END
         FROM target t WHERE d.id = t.id AND t.status <> 'delivering' AND NOT t.gone
         RETURNING d.id
       )
       SELECT CASE WHEN EXISTS (SELECT 1 FROM requeued) THEN 'requeued'
         WHEN t.gone THEN 'endpoint_gone' ELSE 'in_progress' END AS outcome
       FROM target t`,
      [id, clientId],
    );
    return rows[0]?.outcome ?? null;
  }
}
