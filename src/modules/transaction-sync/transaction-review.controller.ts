import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';

import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import {
  DismissTransactionDto,
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
  @ApiErrors({
    code: ErrorCode.ValidationFailed,
    when: 'Bad status, limit or cursor',
    message: 'status must be one of the following values: unmatched, late, conflict',
  })
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
  @ApiErrors(
    {
      code: ErrorCode.ValidationFailed,
      when: 'id or paymentId is not a UUID',
      message: 'paymentId must be a UUID',
    },
    { code: ErrorCode.TransactionNotFound, when: 'No such item' },
    { code: ErrorCode.PaymentNotFound, when: 'No such payment' },
    {
      code: ErrorCode.TransactionNotLinkable,
      when: 'A conflict (never money), already linked, dismissed, an ignored debit, or refused by payments',
    },
  )
  link(
    @CurrentClient() client: ApiClient,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: LinkTransactionDto,
  ): Promise<ReviewTransactionDto> {
    return this.review.link(client, id, body.paymentId);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close a review item without linking it',
    description:
      'For an unmatched, late or conflict item that is no money to count (a conflict never is). The item ' +
      'becomes dismissed, with who did it and the note; it leaves the default queue and is listed with ' +
      `status=dismissed. ${VISIBILITY}`,
  })
  @ApiOkResponse({ type: ReviewTransactionDto })
  @ApiErrors(
    { code: ErrorCode.ValidationFailed, when: 'id is not a UUID, or note is missing or over 500 characters' },
    { code: ErrorCode.TransactionNotFound, when: 'No such item' },
    { code: ErrorCode.TransactionNotDismissable, when: 'Not an unmatched, late or conflict item' },
  )
  dismiss(
    @CurrentClient() client: ApiClient,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DismissTransactionDto,
  ): Promise<ReviewTransactionDto> {
    return this.review.dismiss(client, id, body.note);
  }
}
