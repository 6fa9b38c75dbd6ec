import { ApiProperty } from '@nestjs/swagger';
import { ErrorRenderer, ProblemInfo } from '../../common/errors/error-body.js';

/**
 * Our errorReason codes in VietQR's envelope. 001-011 copy the vocabulary VietQR uses with its own banks.
 * VietQR does not re-send after a 400; it re-sends other non-2xx answers. The codes answered with a status
 * VietQR re-sends on (020, 021, 030, 040, 099) are the ones worth registering with VietQR as retry codes.
 */
export enum PartnerErrorReason {
  Ok = '000',
  InvalidBody = '001',
  InvalidAmount = '002',
  InvalidTransType = '003',
  InvalidTransactionId = '007',
  InvalidReference = '008',
  InvalidContent = '009',
  InvalidBankAccount = '010',
  InvalidOptionalField = '011',
  Unauthorized = '020',
  TooManyAttempts = '021',
  Unavailable = '030',
  NotFound = '040',
  Internal = '099',
}

export class RefTransactionDto {
  @ApiProperty({
    description: 'Our id of the recorded bank transaction; "" on errors (never null)',
    example: '0b8f6c1e-5d3a-4f7e-9c2b-1a2b3c4d5e6f',
  })
  reftransactionid: string;
}

/** VietQR's response envelope, for every answer of the partner endpoints' errors and of transaction-sync. */
export class PartnerEnvelopeDto {
  @ApiProperty({ description: 'false on success, true on error', example: false })
  error: boolean;

  @ApiProperty({
    description:
      'Our reason code: 000 success; 001 body not a JSON object, too large or wrong content type; 002 amount; ' +
      '003 transType; 007 transactionid; 008 referencenumber and transactionid both missing; 009 content; ' +
      '010 bankaccount; 011 an optional field too long or of the wrong type (all 400: not re-sent). ' +
      '020 authentication (401); 021 too many failed attempts (429); 030 database unavailable (503); ' +
      '040 no such route (404); 099 internal error (500): these are re-sent by VietQR, register them as retry codes.',
    enum: PartnerErrorReason,
    example: PartnerErrorReason.Ok,
  })
  errorReason: PartnerErrorReason;

  @ApiProperty({ description: 'Readable description', example: 'Transaction recorded' })
  toastMessage: string;

  @ApiProperty({ type: RefTransactionDto, description: 'Always an object, never null' })
  object: RefTransactionDto;
}

export function partnerSuccess(reftransactionid: string, toastMessage: string): PartnerEnvelopeDto {
  return { error: false, errorReason: PartnerErrorReason.Ok, toastMessage, object: { reftransactionid } };
}

function reasonOf(problem: ProblemInfo, status: number): PartnerErrorReason {
  const given = problem.details?.errorReason;
  if (typeof given === 'string' && (Object.values(PartnerErrorReason) as string[]).includes(given)) {
    return given as PartnerErrorReason;
  }
  if (status === 400) return PartnerErrorReason.InvalidBody;
  if (status === 401 || status === 403) return PartnerErrorReason.Unauthorized;
  if (status === 429) return PartnerErrorReason.TooManyAttempts;
  if (status === 503) return PartnerErrorReason.Unavailable;
  if (status === 404 || status === 405) return PartnerErrorReason.NotFound;
  return PartnerErrorReason.Internal;
}

/**
 * Errors on the partner prefix in VietQR's envelope. Body problems (bad JSON, wrong content type, too large)
 * become 400 so VietQR does not re-send what can never succeed; everything else keeps its status.
 */
export const renderPartnerError: ErrorRenderer = (problem) => {
  const status = problem.status === 413 || problem.status === 415 ? 400 : problem.status;
  const body: PartnerEnvelopeDto = {
    error: true,
    errorReason: reasonOf(problem, status),
    toastMessage: problem.message,
    object: { reftransactionid: '' },
  };
  return { status, body };
};
