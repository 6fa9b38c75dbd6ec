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
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorBodyDto } from '../../common/errors/error-body.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { CompleteRefundDto, CreateRefundDto, FailRefundDto } from './dto/create-refund.dto.js';
import { ListRefundsQueryDto } from './dto/list-refunds.query.dto.js';
import { RefundDto, RefundListDto } from './dto/refund.dto.js';
import { CreateRefundResult, RefundCreationService } from './refund-creation.service.js';
import { RefundsService } from './refunds.service.js';

// Roles per route: a payment's refunds by its order system or an operator; review-queue refunds and the
// manual path by an operator; reading: an order system its own, an operator all.
const OrderSystemOrOperator = () => ApiKeyAuth();
const OperatorOnly = () => ApiKeyAuth();

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: true,
  description: 'Required, 1–255 characters: a retry with the same key and body answers the same refund',
  example: '5c0f9a1e-refund-ORD-2025-000123',
};
const CREATED = {
  description:
    'The refund, accepted: PENDING (VietQR is called by a background job; follow it with GET or the ' +
    'refund.* webhooks) or REQUIRES_ACTION (manual). A replay answers the refund as it is now.',
  type: RefundDto,
  headers: {
    'Idempotent-Replayed': {
      description: '"true" when an earlier request with this key created the refund',
      schema: { type: 'string', example: 'true' },
    },
  },
};
const EXCEEDS = {
  description:
    'REFUND_EXCEEDS_REFUNDABLE: more than is refundable (details.refundable, details.requested); ' +
    'IDEMPOTENCY_KEY_MISMATCH: the key was used with another request',
  type: ErrorBodyDto,
};
const REFUND_ID = { name: 'id', description: 'Refund id', example: '6a1f0c8e-3b2d-4c5e-8f90-1a2b3c4d5e6f' };
const NOT_FOUND = { description: 'No such refund, or not yours (REFUND_NOT_FOUND)', type: ErrorBodyDto };

@ApiTags('refunds')
@Controller('api/v1')
export class RefundsController {
  constructor(
    private readonly creation: RefundCreationService,
    private readonly refunds: RefundsService,
  ) {}

  @Post('payments/:id/refunds')
  @OrderSystemOrOperator()
  @ApiOperation({
    summary: 'Refund (part of) the money a payment received, late money included',
    description:
      'Refundable = every transfer linked to the payment minus its refunds that did not fail. The ' +
      "payment's status does not change; it shows amountRefunded and refundStatus.",
  })
  @ApiParam({ name: 'id', description: 'Payment id', example: '0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1' })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiBody({ type: CreateRefundDto })
  @ApiCreatedResponse(CREATED)
  @ApiBadRequestResponse({
    description: 'A field or the Idempotency-Key is missing or invalid (VALIDATION_FAILED)',
    type: ErrorBodyDto,
  })
  @ApiNotFoundResponse({
    description: 'No such payment, or not yours (PAYMENT_NOT_FOUND)',
    type: ErrorBodyDto,
  })
  @ApiConflictResponse({
    description: 'PAYMENT_NOT_REFUNDABLE: no money arrived for the payment',
    type: ErrorBodyDto,
  })
  @ApiUnprocessableEntityResponse(EXCEEDS)
  async refundPayment(
    @CurrentClient() client: ApiClient,
    @Param('id') id: string,
    @Body() dto: CreateRefundDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundDto> {
    return this.toDto(reply, await this.creation.forPayment(client, id, dto, key));
  }

  @Post('transactions/:id/refunds')
  @OperatorOnly()
  @ApiOperation({
    summary: 'Refund a review-queue transfer: unmatched money (no payment claims it) or late money',
    description: 'Operators only. Refundable = the transfer minus its refunds that did not fail.',
  })
  @ApiParam({
    name: 'id',
    description: 'Bank transaction id (ledger)',
    example: '5d1c8a60-2f57-4a3c-9a0e-7cf1f0d6b8e2',
  })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiBody({ type: CreateRefundDto })
  @ApiCreatedResponse(CREATED)
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorBodyDto })
  @ApiNotFoundResponse({ description: 'TRANSACTION_NOT_FOUND', type: ErrorBodyDto })
  @ApiConflictResponse({
    description:
      'TRANSACTION_NOT_REFUNDABLE: a debit, or a transfer that is neither unmatched nor late (details.status)',
    type: ErrorBodyDto,
  })
  @ApiUnprocessableEntityResponse(EXCEEDS)
  async refundTransaction(
    @CurrentClient() client: ApiClient,
    @Param('id') id: string,
    @Body() dto: CreateRefundDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundDto> {
    return this.toDto(reply, await this.creation.forTransaction(client, id, dto, key));
  }

  @Get('refunds')
  @OrderSystemOrOperator()
  @ApiOperation({ summary: "Refunds, newest first: an order system's own, every one for an operator" })
  @ApiOkResponse({ type: RefundListDto })
  @ApiBadRequestResponse({ description: 'A filter is invalid (VALIDATION_FAILED)', type: ErrorBodyDto })
  list(@CurrentClient() client: ApiClient, @Query() query: ListRefundsQueryDto): Promise<RefundListDto> {
    return this.refunds.list(client, query);
  }

  @Get('refunds/:id')
  @OrderSystemOrOperator()
  @ApiOperation({ summary: 'A refund with its parts (one per bank transfer it sends back)' })
  @ApiParam(REFUND_ID)
  @ApiOkResponse({ type: RefundDto })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@CurrentClient() client: ApiClient, @Param('id') id: string): Promise<RefundDto> {
    return this.refunds.get(client, id);
  }

  @Post('refunds/:id/complete')
  @HttpCode(200)
  @OperatorOnly()
  @ApiOperation({
    summary: 'Record that a person paid a REQUIRES_ACTION refund by hand: SUCCEEDED',
    description: 'Operators only. Repeating it with the same reference answers the refund unchanged.',
  })
  @ApiParam(REFUND_ID)
  @ApiBody({ type: CompleteRefundDto })
  @ApiOkResponse({ type: RefundDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorBodyDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({
    description: 'REFUND_NOT_ACTIONABLE: the refund is not REQUIRES_ACTION (details.status)',
    type: ErrorBodyDto,
  })
  complete(
    @CurrentClient() client: ApiClient,
    @Param('id') id: string,
    @Body() dto: CompleteRefundDto,
  ): Promise<RefundDto> {
    return this.refunds.complete(client, id, dto);
  }

  @Post('refunds/:id/fail')
  @HttpCode(200)
  @OperatorOnly()
  @ApiOperation({
    summary: 'Give up a REQUIRES_ACTION refund: FAILED, its unpaid amount refundable again',
    description: 'Operators only.',
  })
  @ApiParam(REFUND_ID)
  @ApiBody({ type: FailRefundDto, required: false })
  @ApiOkResponse({ type: RefundDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorBodyDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({
    description: 'REFUND_NOT_ACTIONABLE: the refund is not REQUIRES_ACTION (details.status)',
    type: ErrorBodyDto,
  })
  fail(
    @CurrentClient() client: ApiClient,
    @Param('id') id: string,
    @Body() dto: FailRefundDto,
  ): Promise<RefundDto> {
    return this.refunds.fail(client, id, dto ?? {});
  }

  private toDto(reply: FastifyReply, result: CreateRefundResult): RefundDto {
    void reply.status(201);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.refund;
  }
}
