/** Event types order systems can subscribe to. */
export const EVENT_TYPES = [
  'payment.paid',
  'payment.partially_paid',
  'payment.overpaid',
  'payment.expired',
  'payment.cancelled',
  'payment.late_payment',
  'transaction.unmatched',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Review events (of no client: money no payment claims) go only to endpoints registered with an operator
 * key; an order-system key may not subscribe to them.
 */
export const OPERATOR_EVENT_TYPES: readonly EventType[] = ['transaction.unmatched'];

/** What is stored and later sent: the state as committed with the change that caused it. */
export interface OutboxEnvelope<T = unknown> {
  id: string;
  type: EventType;
  createdAt: string;
  data: T;
}

export interface AppendEventInput<T = unknown> {
  type: EventType;
  /** The API client the event belongs to; null for events of no client (transaction.unmatched). */
  clientId: string | null;
  /** The payment or transaction the event is about. */
  subjectId: string | null;
  data: T;
}
