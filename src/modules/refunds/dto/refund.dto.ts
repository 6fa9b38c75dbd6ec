import { ApiProperty } from '@nestjs/swagger';
import {
  PART_STATES,
  REFUND_METHODS,
  REFUND_STATUSES,
  type PartState,
  type RefundMethod,
  type RefundStatus,
} from '../refund.record.js';

export class RefundPartDto {
  @ApiProperty({ description: 'Part id', format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The bank transfer this part sends back (ledger id)', format: 'uuid' })
  transactionId: string;

  @ApiProperty({
    description: "That transfer's bank reference (VietQR's referenceNumber)",
    example: 'FT25330123456789',
  })
  bankReference: string;

  @ApiProperty({ description: 'Whole VND', example: 50000, type: 'integer' })
  amount: number;

  @ApiProperty({
    description:
      'pending (not sent yet), sending (with VietQR now), unknown (answer lost: being settled from ' +
      'check-order), succeeded, failed (nothing left the account), requires_action (a person pays it)',
    enum: PART_STATES,
    example: 'succeeded',
  })
  state: PartState;

  @ApiProperty({
    description:
      "The refund's FT code: VietQR's answer, the debit VietQR reported, or the one a person entered",
    example: 'FT25335987654321',
    nullable: true,
    type: String,
  })
  providerReference: string | null;

  @ApiProperty({
    description: "VietQR's error code, when it refused",
    example: null,
    nullable: true,
    type: String,
  })
  vietqrCode: string | null;

  @ApiProperty({
    description: 'What went wrong, when something did',
    example: null,
    nullable: true,
    type: String,
  })
  error: string | null;

  @ApiProperty({
    description: "The ledger's debit (transType D) of this refund, once VietQR reported it",
    nullable: true,
    type: String,
    format: 'uuid',
  })
  debitTransactionId: string | null;

  @ApiProperty({ description: 'When the part reached succeeded or failed', nullable: true, type: String })
  settledAt: string | null;
}

export class RefundDto {
  @ApiProperty({ description: 'Refund id', format: 'uuid' })
  id: string;

  @ApiProperty({
    description: 'The payment refunded; null for a transfer no payment claims',
    nullable: true,
    type: String,
    format: 'uuid',
  })
  paymentId: string | null;

  @ApiProperty({
    description: 'For a review-queue refund: the transfer refunded (ledger id); null for a payment refund',
    nullable: true,
    type: String,
    format: 'uuid',
  })
  transactionId: string | null;

  @ApiProperty({ description: 'Whole VND', example: 50000, type: 'integer' })
  amount: number;

  @ApiProperty({ description: 'Always VND', example: 'VND', enum: ['VND'] })
  currency: 'VND';

  @ApiProperty({ description: 'As given', example: 'Order cancelled' })
  reason: string;

  @ApiProperty({
    description:
      "PENDING → SUCCEEDED | FAILED; UNKNOWN while VietQR's answer is lost (settled from check-order); " +
      'REQUIRES_ACTION while a person must pay it by hand (then complete or fail it)',
    enum: REFUND_STATUSES,
    example: 'PENDING',
  })
  status: RefundStatus;

  @ApiProperty({
    description:
      "vietqr: through VietQR's refund API (MB accounts with VIETQR_REFUND_SECRET_KEY); manual: by a person",
    enum: REFUND_METHODS,
    example: 'vietqr',
  })
  method: RefundMethod;

  @ApiProperty({
    description: 'One per bank transfer drawn on, in the order they are sent',
    type: [RefundPartDto],
  })
  parts: RefundPartDto[];

  @ApiProperty({
    description:
      "Why it failed or needs a person: VietQR's code (E45, …) or NOT_APPLIED, MANUAL, CANCELLED_BY_OPERATOR",
    example: null,
    nullable: true,
    type: String,
  })
  failureCode: string | null;

  @ApiProperty({ description: 'What failureCode means', example: null, nullable: true, type: String })
  failureMessage: string | null;

  @ApiProperty({
    description:
      "The payer's account as the bank reported it, when known (VietQR's callback does not carry it)",
    example: null,
    nullable: true,
    type: String,
  })
  payerAccount: string | null;

  @ApiProperty({ description: 'FT code a person entered on complete', nullable: true, type: String })
  completedReference: string | null;

  @ApiProperty({ description: 'Note a person entered on complete or fail', nullable: true, type: String })
  completedNote: string | null;

  @ApiProperty({ description: "Who asked: 'client:<name>'", example: 'client:shop' })
  createdBy: string;

  @ApiProperty({ description: 'As given', nullable: true, type: 'object', additionalProperties: true })
  metadata: Record<string, unknown> | null;

  @ApiProperty({ example: '2025-11-26T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2025-11-26T10:00:00.000Z' })
  updatedAt: string;

  @ApiProperty({ description: 'When it reached SUCCEEDED or FAILED', nullable: true, type: String })
  settledAt: string | null;
}

export class RefundListDto {
  @ApiProperty({ description: 'Refunds, newest first', type: [RefundDto] })
  data: RefundDto[];

  @ApiProperty({
    description: 'Pass as ?cursor= for the next page; null on the last page',
    nullable: true,
    type: String,
  })
  nextCursor: string | null;
}
