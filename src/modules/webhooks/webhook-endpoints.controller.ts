import { PageQueryDto } from '../../common/http/page-query.dto.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';

import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookEndpointDto,
  RotatedWebhookSecretDto,
  RotateWebhookSecretDto,
  WebhookEndpointDto,
  WebhookEndpointPageDto,
  WebhookTestResultDto,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookEndpointIdPipe } from './webhook.exception.js';

@ApiTags('webhooks')
// Every client (order system or operator) manages its own endpoints and deliveries.
@ApiKeyAuth('order_system', 'operator')
@Controller('api/v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribe a URL to payment events; the answer holds its signing secret, shown once',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointDto })
  @ApiErrors(
    { code: ErrorCode.ValidationFailed, message: 'url must be a URL address' },
    { code: ErrorCode.WebhookUrlRefused, when: 'The URL is not allowed (scheme, private address)' },
    { code: ErrorCode.WebhookEndpointLimitReached, when: 'The client has 20 endpoints already' },
  )
  create(
    @CurrentClient() client: ApiClient,
    @Body() body: CreateWebhookEndpointDto,
  ): Promise<CreatedWebhookEndpointDto> {
    return this.endpoints.create(client, body);
  }

  @Get()
  @ApiOperation({ summary: 'List this client’s webhook endpoints, newest first' })
  @ApiOkResponse({ type: WebhookEndpointPageDto })
  @ApiErrors({ code: ErrorCode.ValidationFailed, message: 'limit must not be greater than 100' })
  list(@CurrentClient() client: ApiClient, @Query() query: PageQueryDto): Promise<WebhookEndpointPageDto> {
    return this.endpoints.list(client, query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint (without its secret)' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors({ code: ErrorCode.WebhookEndpointNotFound, when: "No such endpoint, or another client's" })
  get(
    @CurrentClient() client: ApiClient,
    @Param('id', WebhookEndpointIdPipe) id: string,
  ): Promise<WebhookEndpointDto> {
    return this.endpoints.get(client, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint; its deliveries still waiting end as failed' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ code: ErrorCode.WebhookEndpointNotFound, when: "No such endpoint, or another client's" })
  delete(@CurrentClient() client: ApiClient, @Param('id', WebhookEndpointIdPipe) id: string): Promise<void> {
    return this.endpoints.delete(client, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replace the signing secret; the new one is shown once, the old one also signs during the grace period',
  })
  @ApiOkResponse({ type: RotatedWebhookSecretDto })
  @ApiErrors({ code: ErrorCode.WebhookEndpointNotFound, when: "No such endpoint, or another client's" })
  rotateSecret(
    @CurrentClient() client: ApiClient,
    @Param('id', WebhookEndpointIdPipe) id: string,
    @Body() body: RotateWebhookSecretDto,
  ): Promise<RotatedWebhookSecretDto> {
    return this.endpoints.rotateSecret(client, id, body.graceSeconds);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a signed webhook.test message now and report how the endpoint answered' })
  @ApiOkResponse({ type: WebhookTestResultDto })
  @ApiErrors({ code: ErrorCode.WebhookEndpointNotFound, when: "No such endpoint, or another client's" })
  test(
    @CurrentClient() client: ApiClient,
    @Param('id', WebhookEndpointIdPipe) id: string,
  ): Promise<WebhookTestResultDto> {
    return this.endpoints.test(client, id);
  }
}
