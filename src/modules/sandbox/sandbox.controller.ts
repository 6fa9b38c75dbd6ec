import { Body, Controller, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SECURITY } from '../../swagger.js';
import type { CheckOrderItem, GenerateCustomerResponse, VietQrActionResult } from '../vietqr/vietqr.types.js';
import { SandboxBearerGuard, SandboxUser } from './sandbox-auth.js';
import {
  SandboxActionResultDto,
  SandboxCheckOrderDto,
  SandboxCheckOrderItemDto,
  SandboxFailureDto,
  SandboxGenerateCustomerDto,
  SandboxGeneratedQrDto,
  SandboxRefundDto,
  SandboxTestCallbackDto,
  SandboxTokenDto,
} from './sandbox.dto.js';
import { SandboxRefundService } from './sandbox-refund.service.js';
import { SandboxService } from './sandbox.service.js';

// Bodies are read as plain objects (no DTO validation) so bad input gets VietQR's own E-codes.
@ApiTags('sandbox')
@Controller('sandbox/vqr')
export class SandboxController {
  constructor(
    private readonly sandbox: SandboxService,
    private readonly refunds: SandboxRefundService,
  ) {}

  @Post('api/token_generate')
  @HttpCode(200)
  @ApiBasicAuth(SECURITY.sandboxBasic)
  @ApiOperation({
    summary: "Emulated VietQR: get a 300 s Bearer token with the merchant's Basic credentials",
  })
  @ApiOkResponse({ type: SandboxTokenDto })
  @ApiUnauthorizedResponse({ description: 'Wrong or missing Basic credentials (Spring error body)' })
  token(@Headers('authorization') authorization: string | undefined): SandboxTokenDto {
    return this.sandbox.token(authorization);
  }

  @Post('api/qr/generate-customer')
  @HttpCode(200)
  @UseGuards(SandboxBearerGuard)
  @ApiBearerAuth(SECURITY.sandboxBearer)
  @ApiOperation({ summary: 'Emulated VietQR: generate a VietQR code (VQR trace id + NAPAS payload)' })
  @ApiBody({ type: SandboxGenerateCustomerDto })
  @ApiOkResponse({ type: SandboxGeneratedQrDto })
  @ApiBadRequestResponse({ type: SandboxFailureDto, description: 'E46, E24, E26, E34' })
  @ApiForbiddenResponse({ description: 'Missing, invalid or expired Bearer token' })
  generateCustomer(@Body() body: unknown): GenerateCustomerResponse {
    return this.sandbox.generateCustomer(body);
  }

  @Post('bank/api/test/transaction-callback')
  @HttpCode(200)
  @UseGuards(SandboxBearerGuard)
  @ApiBearerAuth(SECURITY.sandboxBearer)
  @ApiOperation({
    summary: "Emulated VietQR: simulate a paid transfer and deliver it to the partner's transaction-sync",
    description:
      "Calls the partner's token_generate (Basic) then bank/api/transaction-sync (Bearer) with VietQR's " +
      'lower-case body, and answers with the partner\'s result: FAILED "E05 - <partner body>" when it failed.',
  })
  @ApiBody({ type: SandboxTestCallbackDto })
  @ApiOkResponse({ type: SandboxActionResultDto })
  @ApiBadRequestResponse({ type: SandboxFailureDto, description: 'E46, E77, or E05 - <partner body>' })
  @ApiForbiddenResponse({ description: 'Missing, invalid or expired Bearer token' })
  testCallback(@SandboxUser() username: string, @Body() body: unknown): Promise<VietQrActionResult> {
    return this.sandbox.testCallback(username, body);
  }

  @Post('api/transactions/check-order')
  @HttpCode(200)
  @UseGuards(SandboxBearerGuard)
  @ApiBearerAuth(SECURITY.sandboxBearer)
  @ApiOperation({
    summary: "Emulated VietQR: VietQR's record of an order's (or a bank reference's) transactions",
  })
  @ApiBody({ type: SandboxCheckOrderDto })
  @ApiOkResponse({ type: SandboxCheckOrderItemDto, isArray: true })
  @ApiBadRequestResponse({ type: SandboxFailureDto, description: 'E46, E95, E39, E77, E96' })
  @ApiForbiddenResponse({ description: 'Missing, invalid or expired Bearer token' })
  checkOrder(@SandboxUser() username: string, @Body() body: unknown): CheckOrderItem[] {
    return this.sandbox.checkOrder(username, body);
  }

  @Post('api/transaction/refund')
  @HttpCode(200)
  @UseGuards(SandboxBearerGuard)
  @ApiBearerAuth(SECURITY.sandboxBearer)
  @ApiOperation({
    summary: 'Emulated VietQR: refund (part of) a paid transaction, then report its debit to the partner',
    description:
      'checkSum = md5(secretKey + referenceNumber + amount + bankAccount) with VIETQR_REFUND_SECRET_KEY ' +
      '(unset: E42). Answers the refund FT code; then delivers a transType D transaction-sync of it.',
  })
  @ApiBody({ type: SandboxRefundDto })
  @ApiOkResponse({ type: SandboxActionResultDto })
  @ApiBadRequestResponse({
    type: SandboxFailureDto,
    description:
      'E46 bad body, E42 no secretKey, E39 bad checkSum, E77 foreign account, E44 unknown referenceNumber, ' +
      'E158 another request on this transaction within its lock, E45 amount above what is left, ' +
      'E157 a second refund without multiTimes on the first',
  })
  @ApiForbiddenResponse({ description: 'Missing, invalid or expired Bearer token' })
  refund(@Body() body: unknown): Promise<VietQrActionResult> {
    return this.refunds.refund(body);
  }
}
