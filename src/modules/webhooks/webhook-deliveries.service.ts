import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import {
  ListWebhookDeliveriesQueryDto,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
} from './dto/webhook-delivery.dto.js';
import { decodeCursor, SEQUENCE_PATTERN } from '../../common/http/cursor.js';
import { pageOf } from '../../common/http/page.js';
import { WebhookDeliveriesRepository, WebhookDeliveryRow } from './webhook-deliveries.repository.js';
import { deliveryNotFound, WebhookException } from './webhook.exception.js';

function toDto(row: WebhookDeliveryRow): WebhookDeliveryDto {
  const open = row.status === 'pending' || row.status === 'delivering';
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    endpointId: row.endpointId,
    status: row.status,
    attemptCount: row.attemptCount,
    nextAttemptAt: open ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

@Injectable()
export class WebhookDeliveriesService {
  constructor(private readonly deliveries: WebhookDeliveriesRepository) {}

  async list(client: ApiClient, query: ListWebhookDeliveriesQueryDto): Promise<WebhookDeliveryPageDto> {
    const filter = { status: query.status, endpointId: query.endpointId };
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, SEQUENCE_PATTERN);
    const { rows, nextCursor } = await pageOf(
      query.limit,
      (take) => this.deliveries.listByClient(client.id, filter, take, after),
      (row) => row.seq,
    );
    return { data: rows.map(toDto), nextCursor };
  }

  async get(client: ApiClient, id: string): Promise<WebhookDeliveryDetailDto> {
    const row = await this.deliveries.findOwned(client.id, id);
    if (!row) throw deliveryNotFound();
    const attempts = await this.deliveries.listAttempts(row.id);
    return {
      ...toDto(row),
      attempts: attempts.map((a) => ({
        attemptNumber: a.attemptNumber,
        startedAt: a.startedAt.toISOString(),
        finishedAt: a.finishedAt?.toISOString() ?? null,
        statusCode: a.statusCode,
        latencyMs: a.latencyMs,
        error: a.error,
        responseSnippet: a.responseSnippet,
      })),
    };
  }

  /** Due now: a pending one is brought forward; a delivered or failed one gets one more attempt. */
  async retry(client: ApiClient, id: string): Promise<WebhookDeliveryDto> {
    const outcome = await this.deliveries.requeueOwned(client.id, id);
    switch (outcome) {
      case null:
        throw deliveryNotFound();
      case 'in_progress':
        throw new WebhookException(
          ErrorCode.WebhookDeliveryInProgress,
          'An attempt of this delivery is under way; retry once it has ended',
        );
      case 'endpoint_gone':
        throw new WebhookException(
          ErrorCode.WebhookEndpointNotFound,
          'The endpoint of this delivery was deleted',
        );
      case 'requeued':
        return toDto((await this.deliveries.findOwned(client.id, id))!);
    }
  }
}
