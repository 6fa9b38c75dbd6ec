import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
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
  LinkTransactionDto,
  ListReviewQueryDto,
  ReviewTransactionDto,
  ReviewTransactionListDto,
} from './review-transaction.dto.js';
import { TransactionReviewService } from './transaction-review.service.js';

const VISIBILITY =
  "Operator keys only: the queue holds every client's late money and payers' texts. An order system " +
  "sees late money on its own payments (the payment's transactions, payment.late_payment).";

@ApiTags('Bank transactions (review queue)')
@ApiKeyAuth('operator')
@Controller('api/v1/transactions')
export class TransactionReviewController {
  constructor(private readonly review: TransactionReviewService) {}

  @Get()
  @ApiOperation({
    summary: 'Bank transactions that need a person',
    description: `Newest first; page with limit and cursor. ${VISIBILITY}`,
  })
  @ApiOkResponse({ type: ReviewTransactionListDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Bad status, limit or cursor' })
  list(
    @CurrentClient() client: ApiClient,
    @Query() query: ListReviewQueryDto,
  ): Promise<ReviewTransactionListDto> {
    return this.review.list(client, query);
  }

  @Post(':id/link')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link a bank transaction to a payment by hand',
    description:
      "Under the same rules as automatic linking, to any client's payment; the link records who made it " +
      `(client:<name>) in the payment history and on the transaction. ${VISIBILITY}`,
  })
  @ApiOkResponse({ type: ReviewTransactionDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'id or paymentId is not a UUID' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TRANSACTION_NOT_FOUND or PAYMENT_NOT_FOUND' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'TRANSACTION_NOT_LINKABLE: already linked, an ignored debit, or refused by payments',
  })
  link(
    @CurrentClient() client: ApiClient,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: LinkTransactionDto,
  ): Promise<ReviewTransactionDto> {
    return this.review.link(client, id, body.paymentId);
  }
}
