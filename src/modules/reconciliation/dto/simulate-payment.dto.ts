import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PaymentDto } from '../../payments/dto/payment.dto.js';

export class SimulatePaymentDto {
  @ApiPropertyOptional({
    // No example: Swagger UI would pre-fill it and overpay any payment of another amount.
    description: 'Amount the simulated buyer transfers (VND). Omit it to pay what the payment still lacks.',
    type: 'integer',
    minimum: 1,
    maximum: 999_999_999_999,
  })
  @IsOptional()
  @IsInt({ message: 'amount must be an integer number of VND' })
  @Min(1, { message: 'amount must be at least 1' })
  @Max(999_999_999_999, { message: 'amount must be at most 999999999999' })
  amount?: number;

  @ApiPropertyOptional({
    description:
      'false: the emulator records the transfer as paid but never delivers the callback (a missed ' +
      'callback, for reconciliation to find). Only our emulator honours it. Default true.',
    example: true,
  })
  @IsOptional()
  @IsBoolean({ message: 'deliverCallback must be true or false' })
  deliverCallback?: boolean;
}

export class SimulatePaymentResultDto {
  @ApiProperty({
    description: "VietQR's answer to the test callback",
    example: { status: 'SUCCESS', message: '' },
  })
  vietqr: { status: string; message: string };

  @ApiProperty({ description: 'Amount sent in the simulated transfer (VND)', example: 150000 })
  amount: number;

  @ApiProperty({ type: PaymentDto, description: 'The payment after VietQR delivered the transaction to us' })
  payment: PaymentDto;
}
