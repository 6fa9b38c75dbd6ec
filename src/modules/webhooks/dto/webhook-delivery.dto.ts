import { PageQueryDto } from '../../../common/http/page-query.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { EVENT_TYPES } from '../../outbox/outbox.types.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-deliveries.repository.js';

export class ListWebhookDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Only deliveries in this state',
    enum: DELIVERY_STATUSES,
    example: 'failed',
  })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({
    description: 'Only deliveries to this endpoint',
    example: '1f0c2a4e-9a57-4c43-9a8e-3b1c1c2d8e11',
  })
  @IsOptional()
  @IsUUID()
  endpointId?: string;
}

export class WebhookAttemptDto {
  @ApiProperty({ description: '1 for the first attempt', example: 1 })
  attemptNumber: number;

  @ApiProperty({ description: 'When it started', example: '2025-11-26T04:15:00.120Z' })
  startedAt: string;

  @ApiProperty({
    description: 'When it ended; null if the sending instance stopped before it could record the outcome',
    example: '2025-11-26T04:15:00.204Z',
    nullable: true,
    type: String,
  })
  finishedAt: string | null;

  @ApiProperty({
    description: 'HTTP status answered; null when none',
    example: 503,
    nullable: true,
    type: Number,
  })
  statusCode: number | null;

  @ApiProperty({ description: 'Time to the answer in ms', example: 84, nullable: true, type: Number })
  latencyMs: number | null;

  @ApiProperty({
    description: 'Why it failed (timeout, connection refused, HTTP status)',
    example: 'HTTP 503',
    nullable: true,
    type: String,
  })
  error: string | null;

  @ApiProperty({
    description: 'First bytes (at most 512) of the answer',
    example: 'Service Unavailable',
    nullable: true,
    type: String,
  })
  responseSnippet: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ description: 'Delivery id', example: '5c7d0e51-71a4-4d4e-9b0a-1e0f4c9a2b33' })
  id: string;

  @ApiProperty({
    description: 'Event id, sent as webhook-id on every attempt',
    example: 'c0a8012e-3b7f-4f7e-8d47-2f1b6c9d0e55',
  })
  eventId: string;

  @ApiProperty({ description: 'Event type', enum: EVENT_TYPES, example: 'payment.paid' })
  eventType: string;

  @ApiProperty({ description: 'Target endpoint', example: '1f0c2a4e-9a57-4c43-9a8e-3b1c1c2d8e11' })
  endpointId: string;

  @ApiProperty({
    description:
      'pending: recorded, waiting for its (next) attempt; delivering: an attempt is under way; ' +
      'delivered: the endpoint answered 2xx; failed: retries ran out (or the endpoint was deleted)',
    enum: DELIVERY_STATUSES,
    example: 'delivered',
  })
  status: DeliveryStatus;

  @ApiProperty({ description: 'Attempts made so far', example: 1 })
  attemptCount: number;

  @ApiProperty({
    description: 'When the next attempt is due; null once delivered or failed',
    example: null,
    nullable: true,
    type: String,
  })
  nextAttemptAt: string | null;

  @ApiProperty({ description: 'Status of the last answer', example: 200, nullable: true, type: Number })
  lastStatusCode: number | null;

  @ApiProperty({ description: 'Error of the last attempt', example: null, nullable: true, type: String })
  lastError: string | null;

  @ApiProperty({ description: 'When it was recorded', example: '2025-11-26T04:15:00.100Z' })
  createdAt: string;

  @ApiProperty({
    description: 'When it was delivered',
    example: '2025-11-26T04:15:00.204Z',
    nullable: true,
    type: String,
  })
  deliveredAt: string | null;
}

export class WebhookDeliveryDetailDto extends WebhookDeliveryDto {
  @ApiProperty({ type: [WebhookAttemptDto], description: 'Every attempt, oldest first' })
  attempts: WebhookAttemptDto[];
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Deliveries, newest first' })
  data: WebhookDeliveryDto[];

  @ApiProperty({
    description: 'Cursor of the next page; null on the last',
    example: null,
    nullable: true,
    type: String,
  })
  nextCursor: string | null;
}
