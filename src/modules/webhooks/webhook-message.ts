import type { OutboxEnvelope } from '../outbox/outbox.types.js';

/** The body sent for an event: the stored envelope, fields in a fixed order. */
export function envelopeBody(envelope: OutboxEnvelope): string {
  return JSON.stringify({
    id: envelope.id,
    type: envelope.type,
    createdAt: envelope.createdAt,
    data: envelope.data,
  });
}
