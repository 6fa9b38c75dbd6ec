import { Controller, HttpCode, Post, type RawBodyRequest, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SECURITY } from '../../swagger.js';
import { ApiPartnerAllowlist, PartnerAllowlistGuard } from './partner-allowlist.guard.js';
import { PartnerBearerGuard } from './partner-bearer.guard.js';
import { PartnerEnvelopeDto } from './partner-envelope.js';
import { TRANSACTION_SYNC_EXAMPLE, TransactionSyncRequestDto } from './transaction-sync-request.dto.js';
import { PartnerDeliveriesService } from './partner-deliveries.service.js';
import { TRANSACTION_SYNC_PATH } from './partner-routes.js';

const envelope = (error: boolean, errorReason: string, toastMessage: string, reftransactionid = '') => ({
  summary: toastMessage,
  value: { error, errorReason, toastMessage, object: { reftransactionid } },
});

@ApiTags('VietQR partner API')
@ApiBearerAuth(SECURITY.partnerBearer)
@Controller()
export class TransactionSyncController {
  constructor(private readonly deliveries: PartnerDeliveriesService) {}

  @Post(TRANSACTION_SYNC_PATH)
  @HttpCode(200)
  @UseGuards(PartnerAllowlistGuard, PartnerBearerGuard)
  @ApiOperation({
    summary: 'VietQR reports one bank transaction',
    description:
      'Recorded once per (referencenumber, else transactionid) + transType + bankaccount and committed before ' +
      'the 200; a re-delivery answers the same reftransactionid. Unknown orders, wrong amounts, other accounts ' +
      'and debits are recorded and answered with success too. Every answer, errors included, is VietQR’s ' +
      'envelope with a non-null object. Unknown keys are ignored; lower-case and camelCase keys are accepted.',
  })
  @ApiBody({ type: TransactionSyncRequestDto, examples: { vietqr: { value: TRANSACTION_SYNC_EXAMPLE } } })
  @ApiOkResponse({
    type: PartnerEnvelopeDto,
    description: 'Recorded now, or already recorded (same reftransactionid)',
    examples: {
      recorded: envelope(false, '000', 'Transaction recorded', '0b8f6c1e-5d3a-4f7e-9c2b-1a2b3c4d5e6f'),
      duplicate: envelope(
        false,
        '000',
        'Transaction already recorded',
        '0b8f6c1e-5d3a-4f7e-9c2b-1a2b3c4d5e6f',
      ),
    },
  })
  @ApiBadRequestResponse({
    type: PartnerEnvelopeDto,
    description:
      'Never recordable (VietQR does not re-send): not a JSON object, a missing or invalid field, too large',
    examples: {
      amount: envelope(true, '002', 'amount must be positive'),
      body: envelope(true, '001', 'Body is not valid JSON'),
    },
  })
  @ApiPartnerAllowlist()
  @ApiUnauthorizedResponse({
    type: PartnerEnvelopeDto,
    description: 'Missing, malformed, expired or foreign Bearer token (VietQR re-sends)',
    examples: { token: envelope(true, '020', 'Invalid or expired Bearer token') },
  })
  @ApiServiceUnavailableResponse({
    type: PartnerEnvelopeDto,
    description: 'Database unavailable; nothing recorded (VietQR re-sends)',
    examples: { database: envelope(true, '030', 'The database is unavailable; retry shortly') },
  })
  record(@Req() request: RawBodyRequest<FastifyRequest>): Promise<PartnerEnvelopeDto> {
    return this.deliveries.record(request.body, request.rawBody);
  }
}
