import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { PartnerErrorReason } from '../auth/partner/partner-envelope.js';

/** A transaction-sync body that can never be recorded: 400 in VietQR's envelope, with our reason code. */
export class TransactionSyncException extends AppException {
  constructor(reason: PartnerErrorReason, message: string) {
    super(ErrorCode.ValidationFailed, message, { errorReason: reason });
  }
}

/** Review-queue errors (order-system API, the common error body). */
export class TransactionReviewException extends AppException {}
