import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { PartnerErrorReason } from './partner-envelope.js';

/** A transaction-sync body that can never be recorded: 400 in VietQR's envelope, with our reason code. */
export class PartnerDeliveryException extends AppException {
  constructor(reason: PartnerErrorReason, message: string) {
    super(ErrorCode.ValidationFailed, message, { errorReason: reason });
  }
}
