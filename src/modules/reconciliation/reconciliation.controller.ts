import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { PaymentIdPipe } from '../payments/payment.exception.js';

import { ReconcileResultDto } from './dto/reconcile-result.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

@ApiTags('payments')
@ApiKeyAuth()
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
  @ApiErrors(
    { code: ErrorCode.PaymentNotFound, when: 'No such payment for this client' },
    { code: ErrorCode.PaymentHasNoQr, when: 'The QR could not be obtained yet' },
    {
      code: ErrorCode.UpstreamError,
      when: 'VietQR answered an error (details.vietqrCode)',
      message: 'VietQR refused check-order: E39 (Invalid checkSum)',
      details: {
        operation: 'check-order',
        vietqrCode: 'E39',
        meaning: 'Invalid checkSum',
        upstreamStatus: 400,
      },
    },
    { code: ErrorCode.UpstreamUnavailable, when: 'VietQR could not be reached' },
    { code: ErrorCode.UpstreamTimeout, when: 'VietQR did not answer in VIETQR_TIMEOUT_MS' },
  )
  reconcile(
    @CurrentClient() client: ApiClient,
    @Param('id', PaymentIdPipe) id: string,
  ): Promise<ReconcileResultDto> {
    return this.reconciliation.reconcile(client, id);
  }
}
