import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DATE_PATTERN } from '../vietnam-time.js';

export const STATEMENT_FORMATS = ['json', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export class DailyStatementQueryDto {
  @ApiProperty({
    description: 'The day, in Vietnam (Asia/Ho_Chi_Minh): from its midnight to the next',
    example: '2026-12-01',
  })
  @Matches(DATE_PATTERN, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiPropertyOptional({ description: 'json (default) or csv', enum: STATEMENT_FORMATS, example: 'json' })
  @IsOptional()
  @IsIn(STATEMENT_FORMATS, { message: `format must be one of ${STATEMENT_FORMATS.join(', ')}` })
  format?: StatementFormat;
}
