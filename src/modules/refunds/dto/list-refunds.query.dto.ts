import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto.js';
import { REFUND_STATUSES, type RefundStatus } from '../refund.record.js';

export class ListRefundsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only refunds of this payment', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'paymentId must be a UUID' })
  paymentId?: string;

  @ApiPropertyOptional({
    description: 'Only refunds in this status',
    enum: REFUND_STATUSES,
    example: 'SUCCEEDED',
  })
  @IsOptional()
  @IsIn(REFUND_STATUSES, { message: `status must be one of ${REFUND_STATUSES.join(', ')}` })
  status?: RefundStatus;
}
