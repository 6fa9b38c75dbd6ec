import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { EVENT_TYPES, EventType } from '../../outbox/outbox.types.js';
import { MAX_URL_LENGTH } from '../webhook-url-policy.js';

export class CreateWebhookEndpointDto {
  @ApiProperty({
    description: 'Where events are POSTed. https in production; loopback/private addresses are refused there',
    example: 'https://orders.example.com/hooks/vietqr',
    maxLength: MAX_URL_LENGTH,
  })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url: string;

  @ApiPropertyOptional({
    description:
      'Event types to receive; omitted or empty = every event of this client. ' +
      'transaction.unmatched (a transfer no payment claims) and transaction.recovered (a missed callback found ' +
      'by reconciliation) are sent only to endpoints that list them and were registered with an operator key; ' +
      'an order-system key naming one gets 400 VALIDATION_FAILED',
    enum: EVENT_TYPES,
    isArray: true,
    example: ['payment.paid', 'payment.expired'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPES, { each: true })
  events?: EventType[];
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    description: 'How long the previous secret keeps signing too (both signatures are sent); 0 = stop now',
    example: 86400,
    minimum: 0,
    maximum: 604800,
    default: 86400,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(604_800)
  graceSeconds?: number;
}

export class WebhookEndpointDto {
  @ApiProperty({ description: 'Endpoint id', example: '1f0c2a4e-9a57-4c43-9a8e-3b1c1c2d8e11' })
  id: string;

  @ApiProperty({ description: 'Target URL', example: 'https://orders.example.com/hooks/vietqr' })
  url: string;

  @ApiProperty({
    description: 'Subscribed event types; empty = every event of this client',
    enum: EVENT_TYPES,
    isArray: true,
    example: ['payment.paid'],
  })
  events: EventType[];

  @ApiProperty({ description: 'When it was created', example: '2025-11-26T04:15:00.000Z' })
  createdAt: string;

  @ApiProperty({
    description: 'Until when the previous secret also signs, after a rotation; null when it does not',
    example: null,
    nullable: true,
    type: String,
  })
  previousSecretExpiresAt: string | null;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointDto {
  @ApiProperty({
    description: 'Signing secret (Standard Webhooks, whsec_...). Shown only now: store it',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}

export class RotatedWebhookSecretDto {
  @ApiProperty({ description: 'Endpoint id', example: '1f0c2a4e-9a57-4c43-9a8e-3b1c1c2d8e11' })
  id: string;

  @ApiProperty({
    description: 'The new signing secret. Shown only now',
    example: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
  })
  secret: string;

  @ApiProperty({
    description: 'Until when the previous secret also signs; null when it stopped at once',
    example: '2025-11-27T04:15:00.000Z',
    nullable: true,
    type: String,
  })
  previousSecretExpiresAt: string | null;
}

export class WebhookEndpointPageDto {
  @ApiProperty({ type: [WebhookEndpointDto], description: 'Endpoints, newest first' })
  data: WebhookEndpointDto[];

  @ApiProperty({
    description: 'Cursor of the next page; null on the last',
    example: null,
    nullable: true,
    type: String,
  })
  nextCursor: string | null;
}

export class WebhookTestResultDto {
  @ApiProperty({ description: 'webhook-id of the ping', example: 'msg_2b1f0f5e-0b8e-4b8c-8f5e-8f4b5c1d2e3f' })
  messageId: string;

  @ApiProperty({ description: 'The endpoint answered 2xx', example: true })
  delivered: boolean;

  @ApiProperty({
    description: 'HTTP status answered; null when none',
    example: 200,
    nullable: true,
    type: Number,
  })
  statusCode: number | null;

  @ApiProperty({ description: 'Time to the answer in ms', example: 84 })
  latencyMs: number;

  @ApiProperty({ description: 'Why it was not delivered', example: null, nullable: true, type: String })
  error: string | null;

  @ApiProperty({
    description: 'First bytes (at most 512) of the answer',
    example: 'ok',
    nullable: true,
    type: String,
  })
  responseSnippet: string | null;
}
