/** Event types order systems can subscribe to. */
export const EVENT_TYPES = [
  'payment.paid',
  'payment.partially_paid',
  'payment.overpaid',
  'payment.expired',
  'payment.cancelled',
  'payment.late_payment',
  'transaction.unmatched',
  'transaction.recovered',
  'refund.succeeded',
  'refund.failed',
  'refund.requires_action',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The merchant's events (of no client: money no payment claims, callbacks we missed) go only to endpoints
 * registered with an operator key; an order-system key may not subscribe to them.
 */
export const OPERATOR_EVENT_TYPES: readonly EventType[] = ['transaction.unmatched', 'transaction.recovered'];

/** What is stored and later sent: the state as committed with the change that caused it. */
export interface OutboxEnvelope<T = unknown> {
  id: string;
  type: EventType;
  createdAt: string;
  data: T;
}

export interface AppendEventInput<T = unknown> {
  type: EventType;
  /** The API client the event belongs to; null for the merchant's (transaction.unmatched, .recovered). */
  clientId: string | null;
  /** The payment or transaction the event is about. */
  subjectId: string | null;
  data: T;
}

/** An event waiting to be handed to its subscribers (the webhooks' fan-out). */
export interface UndispatchedEvent {
  id: string;
  type: EventType;
  clientId: string | null;
}
