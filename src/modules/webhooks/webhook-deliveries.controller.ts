import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../common/errors/error-body.js';

import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import {
  ListWebhookDeliveriesQueryDto,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
} from './dto/webhook-delivery.dto.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';

@ApiTags('webhooks')
// Every client (order system or operator) manages its own endpoints and deliveries.
@ApiKeyAuth('order_system', 'operator')
@Controller('api/v1/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get()
  @ApiOperation({ summary: 'List this client’s webhook deliveries, newest first, optionally by status' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  list(
    @CurrentClient() client: ApiClient,
    @Query() query: ListWebhookDeliveriesQueryDto,
  ): Promise<WebhookDeliveryPageDto> {
    return this.deliveries.list(client, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One delivery with every attempt (status code, latency, error, first bytes of the answer)',
  })
  @ApiOkResponse({ type: WebhookDeliveryDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'WEBHOOK_DELIVERY_NOT_FOUND' })
  get(@CurrentClient() client: ApiClient, @Param('id') id: string): Promise<WebhookDeliveryDetailDto> {
    return this.deliveries.get(client, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Attempt a delivery now: a pending one is brought forward, a delivered or failed one is sent once more',
  })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'WEBHOOK_DELIVERY_NOT_FOUND or WEBHOOK_ENDPOINT_NOT_FOUND',
  })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'WEBHOOK_DELIVERY_IN_PROGRESS' })
  retry(@CurrentClient() client: ApiClient, @Param('id') id: string): Promise<WebhookDeliveryDto> {
    return this.deliveries.retry(client, id);
  }
}
