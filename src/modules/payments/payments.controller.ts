import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorBodyDto } from '../../common/errors/error-body.js';

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
const NOT_FOUND = {
  description: "No such payment, or another client's (PAYMENT_NOT_FOUND)",
  type: ErrorBodyDto,
};

@ApiTags('payments')
@ApiKeyAuth()
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(
    private readonly creation: PaymentCreationService,
    private readonly queries: PaymentQueriesService,
    private readonly lifecycle: PaymentLifecycleService,
  ) {}

  @Post()
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
    description: 'Up to 255 characters; kept at least IDEMPOTENCY_KEY_TTL_HOURS (24 h)',
    example: 'b2f6c3c0-2a4e-4a8e-9f55-0c8f1f5e2b11',
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
  @ApiBadRequestResponse({
    description: 'A field is invalid (VALIDATION_FAILED, naming each field in message and details.fields)',
    type: ErrorBodyDto,
  })
  @ApiConflictResponse({
    description:
      'DUPLICATE_ORDER_ID: a payment for this orderId exists (details.paymentId); ' +
      'IDEMPOTENCY_KEY_IN_FLIGHT: a request with this Idempotency-Key is still running',
    type: ErrorBodyDto,
  })
  @ApiUnprocessableEntityResponse({
    description: 'IDEMPOTENCY_KEY_MISMATCH: the Idempotency-Key was used with another body',
    type: ErrorBodyDto,
  })
  @ApiResponse({ status: 502, description: 'The QR provider failed; retry the POST', type: ErrorBodyDto })
  @ApiResponse({ status: 504, description: 'The QR provider timed out; retry the POST', type: ErrorBodyDto })
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
  @ApiOperation({ summary: "List the client's payments, newest first, with cursor pagination" })
  @ApiOkResponse({ type: PaymentListDto })
  @ApiBadRequestResponse({ description: 'A filter is invalid (VALIDATION_FAILED)', type: ErrorBodyDto })
  async list(
    @CurrentClient() client: ApiClient,
    @Query() query: ListPaymentsQueryDto,
  ): Promise<PaymentListDto> {
    return this.queries.list(client, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A payment with its linked bank transactions and its history' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: PaymentDetailDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async get(@CurrentClient() client: ApiClient, @Param('id', PaymentIdPipe) id: string): Promise<PaymentDetailDto> {
    return this.queries.get(client, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a PENDING or PARTIALLY_PAID payment',
    description:
      'Money arriving later is kept as a late transaction. Cancelling a cancelled payment returns it.',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: CancelPaymentDto, required: false })
  @ApiOkResponse({ description: 'The cancelled payment', type: PaymentDto })
  @ApiBadRequestResponse({ description: 'reason is invalid (VALIDATION_FAILED)', type: ErrorBodyDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({
    description: 'PAYMENT_NOT_CANCELLABLE: the payment is PAID, OVERPAID or EXPIRED (details.status)',
    type: ErrorBodyDto,
  })
  async cancel(
    @CurrentClient() client: ApiClient,
    @Param('id', PaymentIdPipe) id: string,
    @Body() dto: CancelPaymentDto,
  ): Promise<PaymentDto> {
    return this.lifecycle.cancel(client, id, dto ?? {});
  }
}
