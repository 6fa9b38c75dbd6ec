import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const LIMIT_MESSAGE = 'limit must be an integer between 1 and 100';

/** The paging half of every list query: `limit` and the opaque `cursor` a previous page returned. */
export class PageQueryDto {
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
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(100, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page', example: 'NDI' })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this API gave out' })
  cursor?: string;
}
