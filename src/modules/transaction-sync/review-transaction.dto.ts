import { PageQueryDto } from '../../common/http/page-query.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { LISTED_STATUSES, type ListedStatus } from './bank-transactions.repository.js';

export class ListReviewQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: LISTED_STATUSES,
    description:
      'Which items: unmatched, late or conflict (all three when omitted), or dismissed (closed by an operator)',
    example: 'unmatched',
  })
  @IsOptional()
  @IsIn(LISTED_STATUSES)
  status?: ListedStatus;
}

export class DismissTransactionDto {
  @ApiProperty({
    description: 'Why the item is closed without linking it (kept with the item)',
    minLength: 1,
    maxLength: 500,
    example: 'Bank re-sent the transfer with a corrected amount; the first delivery was right',
  })
  @IsString()
  @Length(1, 500)
  note: string;
}

export class LinkTransactionDto {
  @ApiProperty({
    description: 'The payment this bank transaction pays',
    example: '5d0c2e59-8a44-4b6e-9f0e-3b1f2f6a7c11',
  })
  @IsUUID()
  paymentId: string;
}

export class ReviewTransactionDto {
  @ApiProperty({
    description: 'Our id of the bank transaction (reftransactionid)',
    example: '0b8f6c1e-5d3a-4f7e-9c2b-1a2b3c4d5e6f',
  })
  id: string;

  @ApiProperty({
    description: 'Bank reference (referencenumber, else transactionid)',
    example: 'FT26008507756020',
  })
  reference: string;

  @ApiProperty({ description: 'Amount in VND', example: 150000 })
  amount: number;

  @ApiProperty({ description: 'Transfer content as the bank reported it', example: 'chuyen khoan tien hang' })
  content: string;

  @ApiProperty({ description: 'Receiving account', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({
    enum: ['unmatched', 'late', 'conflict', 'linked', 'dismissed'],
    description:
      'unmatched: no payment recognised; late: paid a payment already expired or cancelled; conflict: a ' +
      're-delivery of a known reference with another amount or content (never linkable: it is not new ' +
      'money); linked: after a manual link; dismissed: closed by an operator without linking',
    example: 'unmatched',
  })
  status: string;

  @ApiProperty({ enum: ['C', 'D'], description: 'C credit, D debit', example: 'C' })
  transType: 'C' | 'D';

  @ApiProperty({ nullable: true, type: String, description: 'orderId VietQR sent, if any', example: null })
  orderId: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Why it is unmatched', example: 'no_match' })
  unmatchedReason: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Linked payment (late and linked items)',
    example: null,
  })
  paymentId: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'For conflict items: the id of the first delivery of this reference',
    example: null,
  })
  conflictOf: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When the bank says it was paid',
    example: '2026-01-08T03:56:00.000Z',
  })
  transactionTime: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When we received it',
    example: '2026-01-08T03:56:01.204Z',
  })
  receivedAt: string;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When it was linked by hand',
    example: null,
  })
  linkedAt: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Who linked it by hand (client:<name>)',
    example: null,
  })
  linkedBy: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'When an operator dismissed it',
    example: null,
  })
  dismissedAt: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Who dismissed it (client:<name>)',
    example: null,
  })
  dismissedBy: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The note given when dismissing it',
    example: null,
  })
  dismissalNote: string | null;
}

export class ReviewTransactionListDto {
  @ApiProperty({ type: [ReviewTransactionDto], description: 'Items, newest first' })
  data: ReviewTransactionDto[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page; null on the last',
    example: null,
  })
  nextCursor: string | null;
}
