import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CancelPaymentDto {
  @ApiPropertyOptional({
    description: 'Why the payment is cancelled; kept in its history',
    example: 'Customer abandoned checkout',
    maxLength: 255,
  })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @MaxLength(255, { message: 'reason must be at most 255 characters' })
  reason?: string;
}
