import { ApiProperty } from '@nestjs/swagger';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../payments/payment-status.js';

export class TallyDto {
  @ApiProperty({ description: 'Number of bank transactions', example: 12 })
  count: number;

  @ApiProperty({ description: 'Their sum (VND)', example: 1_850_000 })
  amount: number;
}

export class CreditTotalsDto {
  @ApiProperty({
    type: TallyDto,
    description: 'Every credit received in the day (= linked + late + unmatched + dismissed)',
  })
  received: TallyDto;

  @ApiProperty({ type: TallyDto, description: 'Credits that paid a payment' })
  linked: TallyDto;

  @ApiProperty({
    type: TallyDto,
    description: 'Credits to payments already EXPIRED or CANCELLED (to review)',
  })
  late: TallyDto;

  @ApiProperty({
    type: TallyDto,
    description: 'Credits no payment claims (operator only; 0 for an order system)',
  })
  unmatched: TallyDto;

  @ApiProperty({ type: TallyDto, description: 'Credits an operator dismissed from the review queue' })
  dismissed: TallyDto;
}

export class ArrivalTotalsDto {
  @ApiProperty({ type: TallyDto, description: "Delivered by VietQR's callback" })
  callback: TallyDto;

  @ApiProperty({ type: TallyDto, description: 'Found by scheduled reconciliation (a missed callback each)' })
  reconcile: TallyDto;

  @ApiProperty({ type: TallyDto, description: 'Found by a reconcile request (a missed callback each)' })
  manual: TallyDto;
}

export class PaymentStatusTallyDto {
  @ApiProperty({ enum: PAYMENT_STATUSES, description: 'Status now', example: 'PAID' })
  status: PaymentStatus;

  @ApiProperty({ description: 'Payments created in the day with this status', example: 9 })
  count: number;

  @ApiProperty({ description: 'Their amounts (VND)', example: 1_500_000 })
  amount: number;

  @ApiProperty({ description: 'Their amounts paid (VND; late money is not counted)', example: 1_500_000 })
  amountPaid: number;
}

export class DailyStatementDto {
  @ApiProperty({ description: 'The day (Vietnam)', example: '2026-12-01' })
  date: string;

  @ApiProperty({ description: 'Where the day is cut', example: 'Asia/Ho_Chi_Minh' })
  timeZone: string;

  @ApiProperty({ description: 'First instant of the day (UTC)', example: '2026-11-30T17:00:00.000Z' })
  from: string;

  @ApiProperty({ description: 'First instant after it (UTC)', example: '2026-12-01T17:00:00.000Z' })
  to: string;

  @ApiProperty({
    enum: ['merchant', 'client'],
    description: "merchant: the whole ledger (operator); client: the order system's own payments",
    example: 'merchant',
  })
  scope: 'merchant' | 'client';

  @ApiProperty({
    type: CreditTotalsDto,
    description: 'Credits received in the day (by our receipt time), by outcome',
  })
  credits: CreditTotalsDto;

  @ApiProperty({
    type: TallyDto,
    description:
      'Refunds that reached the payer in the day (SUCCEEDED, by settlement time), whatever day the money came',
  })
  refunded: TallyDto;

  @ApiProperty({ description: 'Credits received minus refunded (VND)', example: 1_850_000 })
  net: number;

  @ApiProperty({ type: TallyDto, description: 'Credits that reached us only through reconciliation' })
  recovered: TallyDto;

  @ApiProperty({ type: ArrivalTotalsDto, description: 'Credits by how they arrived' })
  arrivedVia: ArrivalTotalsDto;

  @ApiProperty({ type: TallyDto, description: 'Conflicting re-deliveries kept for review (not money)' })
  conflicts: TallyDto;

  @ApiProperty({ type: TallyDto, description: 'Debits VietQR reported on the account (ignored)' })
  debits: TallyDto;

  @ApiProperty({ type: [PaymentStatusTallyDto], description: 'Payments created in the day, by status now' })
  payments: PaymentStatusTallyDto[];
}
