import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';

import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import {
  ListWebhookDeliveriesQueryDto,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookDeliveryPageDto,
} from './dto/webhook-delivery.dto.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhookDeliveryIdPipe } from './webhook.exception.js';

@ApiTags('webhooks')
// Every client (order system or operator) manages its own endpoints and deliveries.
@ApiKeyAuth('order_system', 'operator')
@Controller('api/v1/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get()
  @ApiOperation({ summary: 'List this client’s webhook deliveries, newest first, optionally by status' })
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiErrors({ code: ErrorCode.ValidationFailed, message: 'limit must not be greater than 100' })
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
  @ApiErrors({ code: ErrorCode.WebhookDeliveryNotFound, when: "No such delivery, or another client's" })
  get(
    @CurrentClient() client: ApiClient,
    @Param('id', WebhookDeliveryIdPipe) id: string,
  ): Promise<WebhookDeliveryDetailDto> {
    return this.deliveries.get(client, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Attempt a delivery now: a pending one is brought forward, a delivered or failed one is sent once more',
  })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  @ApiErrors(
    { code: ErrorCode.WebhookDeliveryNotFound, when: "No such delivery, or another client's" },
    { code: ErrorCode.WebhookEndpointNotFound, when: 'Its endpoint was deleted' },
    { code: ErrorCode.WebhookDeliveryInProgress, when: 'An attempt is under way' },
  )
  retry(
    @CurrentClient() client: ApiClient,
    @Param('id', WebhookDeliveryIdPipe) id: string,
  ): Promise<WebhookDeliveryDto> {
    return this.deliveries.retry(client, id);
  }
}
