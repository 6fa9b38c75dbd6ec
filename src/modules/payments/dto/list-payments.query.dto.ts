import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payment-status.js';

export class ListPaymentsQueryDto {
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

  @ApiPropertyOptional({
    description: 'Page size',
    example: 20,
    default: 20,
    minimum: 1,
    maximum: 100,
    type: 'integer',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer between 1 and 100' })
  @Min(1, { message: 'limit must be an integer between 1 and 100' })
  @Max(100, { message: 'limit must be an integer between 1 and 100' })
  limit?: number;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page',
    example: 'MGYzYjY4ZDQtN2I3Ni00ZjNkLWEzZTAtMmQ5ZjE2YjdhOWQx',
  })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;
}
