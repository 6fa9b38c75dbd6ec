import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiConflictResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../common/errors/error-body.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { PaymentIdPipe } from '../payments/payment.exception.js';

import { ReconcileResultDto } from './dto/reconcile-result.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

@ApiTags('payments')
@ApiKeyAuth()
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such payment for this client' })
@ApiBadGatewayResponse({ type: ErrorBodyDto, description: 'VietQR answered an error (details.vietqrCode)' })
@ApiGatewayTimeoutResponse({ type: ErrorBodyDto, description: 'VietQR did not answer in VIETQR_TIMEOUT_MS' })
@Controller('api/v1/payments')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Post(':id/reconcile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask VietQR (check-order) about the payment and record any paid transaction we missed',
    description:
      'Every paid transaction VietQR reports for the payment code goes through the same idempotent ingest as ' +
      'transaction-sync: known ones are duplicates, missed ones are recorded and linked now.',
  })
  @ApiOkResponse({ type: ReconcileResultDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'PAYMENT_HAS_NO_QR' })
  reconcile(@CurrentClient() client: ApiClient, @Param('id', PaymentIdPipe) id: string): Promise<ReconcileResultDto> {
    return this.reconciliation.reconcile(client, id);
  }
}
