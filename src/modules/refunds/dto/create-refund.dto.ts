import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';

const MAX_REFUND = 9_999_999_999_999;
const MAX_METADATA_BYTES = 4096;
const AMOUNT_MESSAGE = `amount must be an integer between 1 and ${MAX_REFUND}`;

export class CreateRefundDto {
  @ApiPropertyOptional({
    description: 'Whole VND to refund; default: all that is still refundable',
    example: 50000,
    minimum: 1,
    type: 'integer',
  })
  @IsOptional()
  @IsInt({ message: AMOUNT_MESSAGE })
  @Min(1, { message: AMOUNT_MESSAGE })
  @Max(MAX_REFUND, { message: AMOUNT_MESSAGE })
  amount?: number;

  @ApiProperty({
    description: 'Why the money goes back',
    example: 'Order cancelled',
    minLength: 1,
    maxLength: 255,
  })
  @IsString({ message: 'reason must be a string' })
  @Length(1, 255, { message: 'reason must be 1 to 255 characters' })
  @Matches(/^\P{Cc}+$/u, { message: 'reason must not contain control characters' })
  reason: string;

  @ApiPropertyOptional({
    description: 'Any JSON object of at most 4 KB, returned as given',
    example: { ticket: 'CS-1042' },
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject({ message: 'metadata must be a JSON object' })
  @ValidateBy(
    {
      name: 'maxJsonBytes',
      validator: {
        validate: (value: unknown) =>
          Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= MAX_METADATA_BYTES,
      },
    },
    { message: `metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON` },
  )
  metadata?: Record<string, unknown>;
}

export class CompleteRefundDto {
  @ApiProperty({
    description: 'Bank reference (FT code) of the transfer a person made to the payer',
    example: 'FT25335123456789',
    minLength: 1,
    maxLength: 100,
  })
  @IsString({ message: 'reference must be a string' })
  @Length(1, 100, { message: 'reference must be 1 to 100 characters' })
  @Matches(/^\P{Cc}+$/u, { message: 'reference must not contain control characters' })
  reference: string;

  @ApiPropertyOptional({ description: 'Free note', example: 'Paid from the MB app', maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @Length(1, 500, { message: 'note must be 1 to 500 characters' })
  note?: string;
}

export class FailRefundDto {
  @ApiPropertyOptional({
    description: 'Why the refund will not be made',
    example: 'Payer unreachable',
    maxLength: 255,
  })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @Length(1, 255, { message: 'reason must be 1 to 255 characters' })
  reason?: string;
}
