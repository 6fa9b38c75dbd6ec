import { ApiProperty } from '@nestjs/swagger';
import { PaymentDto } from '../../payments/dto/payment.dto.js';

export class ReconciledTransactionDto {
  @ApiProperty({ description: 'Bank reference (FT code) VietQR reports', example: 'FT26008507756020' })
  reference: string;

  @ApiProperty({ description: 'Amount (VND)', example: 150000 })
  amount: number;

  @ApiProperty({
    description: 'Our ledger id (reftransactionid)',
    example: '0f2a8f5e-6a55-4d53-8a2f-5c1f3c7f9d10',
  })
  reftransactionid: string;

  @ApiProperty({
    enum: ['recorded', 'duplicate', 'conflict'],
    description:
      'recorded: we had missed it and recorded it now; duplicate: we had it; conflict: kept for review',
    example: 'recorded',
  })
  outcome: 'recorded' | 'duplicate' | 'conflict';
}

export class ReconcileResultDto {
  @ApiProperty({ description: 'Transactions check-order returned for the payment code', example: 1 })
  checked: number;

  @ApiProperty({
    type: [ReconciledTransactionDto],
    description: 'Paid transactions passed through the ingest',
  })
  transactions: ReconciledTransactionDto[];

  @ApiProperty({ type: PaymentDto, description: 'The payment after reconciliation' })
  payment: PaymentDto;
}
