import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { PaymentIdPipe } from '../payments/payment.exception.js';

import { SimulatePaymentDto, SimulatePaymentResultDto } from './dto/simulate-payment.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

/** Sandbox only (see SimulationModule). */
@ApiTags('payments')
@ApiKeyAuth()
@Controller('api/v1/payments')
export class SimulationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Post(':id/simulate')
  @HttpCode(200)
  @ApiOperation({
    summary: "Sandbox: simulate the buyer's transfer (VietQR test callback); not available in production",
    description:
      "Calls VietQR's test callback with the payment's QR content and its remaining amount (or the given " +
      'amount). VietQR then calls our token endpoint and transaction-sync, as it would for a real transfer.',
  })
  // Optional and without an example amount: an empty body pays exactly what the payment still lacks.
  // The `{}` example matters: from the schema alone Swagger UI would send {"amount": 0}.
  @ApiBody({
    type: SimulatePaymentDto,
    required: false,
    description: 'Omit (or send {}) to pay what is still due',
    examples: { due: { summary: 'Pay what is still due', value: {} } },
  })
  @ApiOkResponse({ type: SimulatePaymentResultDto })
  @ApiErrors(
    { code: ErrorCode.ValidationFailed, message: 'amount must be an integer number of VND' },
    { code: ErrorCode.PaymentNotFound, when: 'No such payment for this client (or production)' },
    { code: ErrorCode.PaymentHasNoQr, when: 'The QR could not be obtained yet' },
    { code: ErrorCode.NothingLeftToPay, when: 'No amount given and the payment lacks nothing' },
    {
      code: ErrorCode.UpstreamError,
      when: 'VietQR refused, e.g. E05 when it could not deliver the callback to us',
      message: 'VietQR refused test-callback: E05 (Transaction callback failed)',
      details: {
        operation: 'test-callback',
        vietqrCode: 'E05',
        meaning: 'Transaction callback failed',
        upstreamStatus: 400,
      },
    },
    { code: ErrorCode.UpstreamUnavailable, when: 'VietQR could not be reached' },
    { code: ErrorCode.UpstreamTimeout, when: 'VietQR did not answer in time' },
  )
  simulate(
    @CurrentClient() client: ApiClient,
    @Param('id', PaymentIdPipe) id: string,
    @Body() dto: SimulatePaymentDto,
  ): Promise<SimulatePaymentResultDto> {
    return this.reconciliation.simulate(client, id, dto ?? {});
  }
}
