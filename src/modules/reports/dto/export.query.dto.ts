import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../payments/payment-status.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export-formats.js';
import { INSTANT_PATTERN } from '../vietnam-time.js';

const BOUND = 'a date (YYYY-MM-DD, midnight in Vietnam) or a date-time with its offset';

export class ExportQueryDto {
  @ApiPropertyOptional({
    description: `From (inclusive): ${BOUND}. Omitted: from the first`,
    example: '2026-12-01',
  })
  @IsOptional()
  @Matches(INSTANT_PATTERN, { message: `from must be ${BOUND}` })
  from?: string;

  @ApiPropertyOptional({
    description: `To (exclusive): ${BOUND}. Omitted: to the last`,
    example: '2026-12-02',
  })
  @IsOptional()
  @Matches(INSTANT_PATTERN, { message: `to must be ${BOUND}` })
  to?: string;

  @ApiPropertyOptional({
    description: 'csv (default; UTF-8 with BOM, header row) or jsonl',
    enum: EXPORT_FORMATS,
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format?: ExportFormat;
}

export class PaymentExportQueryDto extends ExportQueryDto {
  @ApiPropertyOptional({
    description: 'Only payments in this status',
    enum: PAYMENT_STATUSES,
    example: 'PAID',
  })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES, { message: `status must be one of ${PAYMENT_STATUSES.join(', ')}` })
  status?: PaymentStatus;
}
