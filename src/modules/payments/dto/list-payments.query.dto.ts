import { PageQueryDto } from '../../../common/http/page-query.dto.js';
import { ApiPropertyOptional } from '@nestjs/swagger';

import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payment-status.js';

export class ListPaymentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the payment of this order id', example: 'ORD-2025-000123' })
  @IsOptional()
  @IsString({ message: 'orderId must be a string' })
  @Length(1, 64, { message: 'orderId must be 1 to 64 characters' })
  orderId?: string;

  @ApiPropertyOptional({
    description: 'Only payments in this status',
    enum: PAYMENT_STATUSES,
    example: 'PAID',
  })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES, { message: `status must be one of ${PAYMENT_STATUSES.join(', ')}` })
  status?: PaymentStatus;

  @ApiPropertyOptional({
    description: 'Only payments created at or after this instant (ISO 8601)',
    example: '2025-11-26T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'createdFrom must be an ISO 8601 date-time' })
  createdFrom?: string;

  @ApiPropertyOptional({
    description: 'Only payments created before this instant (ISO 8601)',
    example: '2025-11-27T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'createdTo must be an ISO 8601 date-time' })
  createdTo?: string;
}
