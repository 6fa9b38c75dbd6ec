import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SECURITY } from '../../swagger.js';
import { ApiPartnerAllowlist, PartnerAllowlistGuard } from './partner-allowlist.guard.js';
import { PartnerBasicGuard } from './partner-basic.guard.js';
import { TOKEN_PATH } from './partner-routes.js';
import { PartnerEnvelopeDto } from './partner-envelope.js';
import { PartnerTokenDto } from './partner-token.dto.js';
import { PartnerTokenService } from './partner-token.service.js';

@ApiTags('VietQR partner API')
@ApiBasicAuth(SECURITY.partnerBasic)
@Controller()
export class PartnerTokenController {
  constructor(private readonly tokens: PartnerTokenService) {}

  @Post(TOKEN_PATH)
  @HttpCode(200)
  @UseGuards(PartnerAllowlistGuard, PartnerBasicGuard)
  @ApiOperation({
    summary: 'VietQR gets a Bearer token for transaction-sync',
    description:
      'Called by VietQR with the HTTP Basic credentials registered with it (VIETQR_PARTNER_USERNAME / ' +
      'VIETQR_PARTNER_PASSWORD). Any body (VietQR sends {} or nothing) is ignored. The token is a JWT that ' +
      'opens transaction-sync and nothing else.',
  })
  @ApiOkResponse({
    type: PartnerTokenDto,
    example: {
      access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig',
      token_type: 'Bearer',
      expires_in: 300,
    },
  })
  @ApiPartnerAllowlist()
  @ApiUnauthorizedResponse({
    type: PartnerEnvelopeDto,
    description: 'Missing, malformed or wrong Basic credentials (WWW-Authenticate: Basic)',
    example: {
      error: true,
      errorReason: '020',
      toastMessage: 'Wrong Basic credentials',
      object: { reftransactionid: '' },
    },
  })
  @ApiTooManyRequestsResponse({
    type: PartnerEnvelopeDto,
    description: 'Too many failed attempts from this address in the last minute (Retry-After in seconds)',
    example: {
      error: true,
      errorReason: '021',
      toastMessage: 'Too many failed attempts from this address; retry later',
      object: { reftransactionid: '' },
    },
  })
  issue(): PartnerTokenDto {
    return this.tokens.issue();
  }
}
