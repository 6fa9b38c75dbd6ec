import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorBodyDto } from '../../common/errors/error-body.js';
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
  @ApiOkResponse({ type: SimulatePaymentResultDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such payment for this client (or production)' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'PAYMENT_HAS_NO_QR or NOTHING_LEFT_TO_PAY' })
  @ApiBadGatewayResponse({ type: ErrorBodyDto, description: 'VietQR refused (e.g. E05 with our answer)' })
  simulate(
    @CurrentClient() client: ApiClient,
    @Param('id', PaymentIdPipe) id: string,
    @Body() dto: SimulatePaymentDto,
  ): Promise<SimulatePaymentResultDto> {
    return this.reconciliation.simulate(client, id, dto);
  }
}
