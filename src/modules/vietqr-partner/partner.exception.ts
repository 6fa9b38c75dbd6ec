import { ModuleException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { PartnerErrorReason } from './partner-envelope.js';

export type PartnerErrorCode =
  ErrorCode.Unauthorized | ErrorCode.TooManyRequests | ErrorCode.ValidationFailed;

/** Errors of the endpoints VietQR calls, answered in VietQR's envelope (see partner-envelope.ts). */
export class PartnerException extends ModuleException<PartnerErrorCode> {}

/** A transaction-sync body that can never be recorded: 400 with our reason code. */
export function deliveryRefused(reason: PartnerErrorReason, message: string): PartnerException {
  return new PartnerException(ErrorCode.ValidationFailed, message, { errorReason: reason });
}
