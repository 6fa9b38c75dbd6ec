import { ModuleException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';

export type PaymentErrorCode =
  | ErrorCode.PaymentNotFound
  | ErrorCode.PaymentQrNotFound
  | ErrorCode.PaymentNotPayable
  | ErrorCode.DuplicateOrderId
  | ErrorCode.PaymentNotCancellable
  | ErrorCode.TransactionAlreadyLinked
  | ErrorCode.IdempotencyKeyInFlight
  | ErrorCode.IdempotencyKeyMismatch
  | ErrorCode.ValidationFailed;

/** The payments module's coded errors (HTTP statuses live in httpStatusOf). */
export class PaymentException extends ModuleException<PaymentErrorCode> {}

export function paymentNotFound(id: string): PaymentException {
  return new PaymentException(ErrorCode.PaymentNotFound, `Payment ${id} not found`);
}

/** The :id of a payment route: a UUID, else PAYMENT_NOT_FOUND. */
export const PaymentIdPipe = new UuidParamPipe(paymentNotFound);
