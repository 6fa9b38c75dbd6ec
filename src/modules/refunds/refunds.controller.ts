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
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { CompleteRefundDto, CreateRefundDto, FailRefundDto } from './dto/create-refund.dto.js';
import { ListRefundsQueryDto } from './dto/list-refunds.query.dto.js';
import { RefundDto, RefundListDto } from './dto/refund.dto.js';
import { CreateRefundResult, RefundCreationService } from './refund-creation.service.js';
import { RefundException } from './refund.exception.js';
import { RefundsService } from './refunds.service.js';

// Roles per route: a payment's refunds by its order system or an operator; review-queue refunds and the
// manual path by an operator; reading: an order system its own, an operator all.
const OrderSystemOrOperator = () => ApiKeyAuth('order_system', 'operator');
const OperatorOnly = () => ApiKeyAuth('operator');

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: true,
  description:
    'Required: a fresh value (e.g. a UUID) per refund, 1–255 characters. A retry with the same key and body ' +
    'answers the same refund; the same key with another body is 422.',
};
const CREATED = {
  description:
    'The refund, accepted: PENDING (a background job calls VietQR; follow it with GET or the refund.* ' +
    'webhooks) or REQUIRES_ACTION (manual). A replay answers the refund as it is now.',
  type: RefundDto,
  headers: {
    'Idempotent-Replayed': {
      description: '"true" when an earlier request with this key created the refund',
      schema: { type: 'string', example: 'true' },
    },
  },
};
const REFUND_ID = { name: 'id', description: 'Refund id', example: '6a1f0c8e-3b2d-4c5e-8f90-1a2b3c4d5e6f' };
const INVALID = {
  code: ErrorCode.ValidationFailed,
  when: 'A field is invalid, or Idempotency-Key is missing',
};
const EXCEEDS = {
  code: ErrorCode.RefundExceedsRefundable,
  when: 'More than is refundable (details.refundable)',
};
const MISMATCH = { code: ErrorCode.IdempotencyKeyMismatch, when: 'The key was used with another request' };
const NOT_FOUND = { code: ErrorCode.RefundNotFound, when: 'No such refund, or not yours' };
const NOT_ACTIONABLE = {
  code: ErrorCode.RefundNotActionable,
  when: 'The refund is not REQUIRES_ACTION (details.status)',
};

// Ids are checked at the edge: what is not a UUID names nothing, so it is the route's own 404.
const PaymentId = new UuidParamPipe(
  (id) => new RefundException(ErrorCode.PaymentNotFound, `Payment ${id} not found`),
);
const TransactionId = new UuidParamPipe(
  (id) => new RefundException(ErrorCode.TransactionNotFound, `No bank transaction ${id}`),
);
const RefundId = new UuidParamPipe(
  (id) => new RefundException(ErrorCode.RefundNotFound, `Refund ${id} not found`),
);

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
      'Refundable = every transfer linked to the payment minus its refunds that did not fail, decided under ' +
      "the payment's lock. The payment's status does not change; it shows amountRefunded and refundStatus.",
  })
  @ApiParam({ name: 'id', description: 'Payment id', example: '0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1' })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiBody({ type: CreateRefundDto })
  @ApiCreatedResponse(CREATED)
  @ApiErrors(
    INVALID,
    { code: ErrorCode.PaymentNotFound, when: 'No such payment, or not yours' },
    { code: ErrorCode.PaymentNotRefundable, when: 'No money arrived for the payment' },
    EXCEEDS,
    MISMATCH,
  )
  async refundPayment(
    @CurrentClient() client: ApiClient,
    @Param('id', PaymentId) id: string,
    @Body() dto: CreateRefundDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundDto> {
    return this.created(reply, await this.creation.forPayment(client, id, dto, key));
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
  @ApiErrors(
    INVALID,
    { code: ErrorCode.TransactionNotFound, when: 'No such bank transaction' },
    {
      code: ErrorCode.TransactionNotRefundable,
      when: 'A debit, a conflict or a linked transfer (details.status)',
    },
    EXCEEDS,
    MISMATCH,
  )
  async refundTransaction(
    @CurrentClient() client: ApiClient,
    @Param('id', TransactionId) id: string,
    @Body() dto: CreateRefundDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RefundDto> {
    return this.created(reply, await this.creation.forTransaction(client, id, dto, key));
  }

  @Get('refunds')
  @OrderSystemOrOperator()
  @ApiOperation({ summary: "Refunds, newest first: an order system's own, every one for an operator" })
  @ApiOkResponse({ type: RefundListDto })
  @ApiErrors({ code: ErrorCode.ValidationFailed, when: 'A filter is invalid' })
  list(@CurrentClient() client: ApiClient, @Query() query: ListRefundsQueryDto): Promise<RefundListDto> {
    return this.refunds.list(client, query);
  }

  @Get('refunds/:id')
  @OrderSystemOrOperator()
  @ApiOperation({ summary: 'A refund with its parts (one per bank transfer it sends back)' })
  @ApiParam(REFUND_ID)
  @ApiOkResponse({ type: RefundDto })
  @ApiErrors(NOT_FOUND)
  get(@CurrentClient() client: ApiClient, @Param('id', RefundId) id: string): Promise<RefundDto> {
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
  @ApiErrors(ErrorCode.ValidationFailed, NOT_FOUND, NOT_ACTIONABLE)
  complete(
    @CurrentClient() client: ApiClient,
    @Param('id', RefundId) id: string,
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
  @ApiErrors(ErrorCode.ValidationFailed, NOT_FOUND, NOT_ACTIONABLE)
  fail(
    @CurrentClient() client: ApiClient,
    @Param('id', RefundId) id: string,
    @Body() dto: FailRefundDto,
  ): Promise<RefundDto> {
    return this.refunds.fail(client, id, dto ?? {});
  }

  private created(reply: FastifyReply, result: CreateRefundResult): RefundDto {
    void reply.status(201);
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.refund;
  }
}
