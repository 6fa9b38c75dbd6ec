import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';

import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { CancelPaymentDto } from './dto/cancel-payment.dto.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto.js';
import { PaymentDetailDto, PaymentDto, PaymentListDto } from './dto/payment.dto.js';
import { PaymentCreationService } from './payment-creation.service.js';
import { PaymentLifecycleService } from './payment-lifecycle.service.js';
import { PaymentQueriesService } from './payment-queries.service.js';
import { PaymentIdPipe } from './payment.exception.js';

export const ID_PARAM = {
  name: 'id',
  description: 'Payment id',
  example: '0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1',
};
const NOT_FOUND = { code: ErrorCode.PaymentNotFound, when: "No such payment, or another client's" };

// Roles per route: order systems create, list and cancel their own; an operator may read any one.
@ApiTags('payments')
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(
    private readonly creation: PaymentCreationService,
    private readonly queries: PaymentQueriesService,
    private readonly lifecycle: PaymentLifecycleService,
  ) {}

  @Post()
  @ApiKeyAuth()
  @ApiOperation({
    summary: 'Create a payment for an order and obtain its QR',
    description:
      'One payment per orderId and client. With an Idempotency-Key, a retry with the same body replays the ' +
      'first response. If obtaining the QR fails (502/504), the payment is kept without QR and a retried ' +
      'POST with the same orderId and amount resumes it.',
  })
  @ApiBody({ type: CreatePaymentDto })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    // No example: Swagger UI would send the same key with every body, and each second payment would be 422.
    description:
      'Optional. A fresh value (e.g. a UUID) per new payment; the same value only to retry the same request. ' +
      'Up to 255 characters; kept at least IDEMPOTENCY_KEY_TTL_HOURS (24 h).',
    schema: { type: 'string', maxLength: 255 },
  })
  @ApiCreatedResponse({
    description: 'The payment (also the replay of an earlier request with the same Idempotency-Key)',
    type: PaymentDto,
    headers: {
      'Idempotent-Replayed': {
        description: '"true" when the body is the stored response of an earlier request with this key',
        schema: { type: 'string', example: 'true' },
      },
    },
  })
  @ApiErrors(
    {
      code: ErrorCode.ValidationFailed,
      when: 'A field is invalid (each named in message and details.fields)',
    },
    ErrorCode.MalformedBody,
    ErrorCode.UnsupportedMediaType,
    ErrorCode.PayloadTooLarge,
    { code: ErrorCode.DuplicateOrderId, when: 'A payment for this orderId exists (details.paymentId)' },
    { code: ErrorCode.IdempotencyKeyInFlight, when: 'A request with this Idempotency-Key is still running' },
    { code: ErrorCode.IdempotencyKeyMismatch, when: 'The Idempotency-Key was used with another body' },
    { code: ErrorCode.UpstreamError, when: 'VietQR refused the QR order; retry the POST' },
    { code: ErrorCode.UpstreamUnavailable, when: 'VietQR could not be reached; retry the POST' },
    { code: ErrorCode.UpstreamTimeout, when: 'VietQR did not answer in time; retry the POST' },
  )
  async create(
    @CurrentClient() client: ApiClient,
    @Body() dto: CreatePaymentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PaymentDto> {
    const result = await this.creation.create(client, dto, idempotencyKey);
    void reply.status(result.status);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Get()
  @ApiKeyAuth()
  @ApiOperation({ summary: "List the client's payments, newest first, with cursor pagination" })
  @ApiOkResponse({ type: PaymentListDto })
  @ApiErrors({
    code: ErrorCode.ValidationFailed,
    when: 'A filter is invalid',
    message: 'limit must not be greater than 100',
  })
  async list(
    @CurrentClient() client: ApiClient,
    @Query() query: ListPaymentsQueryDto,
  ): Promise<PaymentListDto> {
    return this.queries.list(client, query);
  }

  @Get(':id')
  @ApiKeyAuth('order_system', 'operator')
  @ApiOperation({
    summary: 'A payment with its linked bank transactions and its history',
    description: "An order system reads its own payments; an operator key reads any client's.",
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: PaymentDetailDto })
  @ApiErrors(NOT_FOUND)
  async get(
    @CurrentClient() client: ApiClient,
    @Param('id', PaymentIdPipe) id: string,
  ): Promise<PaymentDetailDto> {
    return this.queries.get(client, id);
  }

  @Post(':id/cancel')
  @ApiKeyAuth()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a PENDING or PARTIALLY_PAID payment',
    description:
      'Money arriving later is kept as a late transaction. Cancelling a cancelled payment returns it.',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: CancelPaymentDto, required: false })
  @ApiOkResponse({ description: 'The cancelled payment', type: PaymentDto })
  @ApiErrors(
    {
      code: ErrorCode.ValidationFailed,
      when: 'reason is invalid',
      message: 'reason must be at most 255 characters',
    },
    NOT_FOUND,
    {
      code: ErrorCode.PaymentNotCancellable,
      when: 'The payment is PAID, OVERPAID or EXPIRED (details.status)',
    },
  )
  async cancel(
    @CurrentClient() client: ApiClient,
    @Param('id', PaymentIdPipe) id: string,
    @Body() dto: CancelPaymentDto,
  ): Promise<PaymentDto> {
    return this.lifecycle.cancel(client, id, dto ?? {});
  }
}
