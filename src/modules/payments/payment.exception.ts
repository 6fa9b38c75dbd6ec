import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';

/** The payments module's coded errors (codes and HTTP statuses live in ErrorCode / httpStatusOf). */
export class PaymentException extends AppException {}

export function paymentNotFound(id: string): PaymentException {
  return new PaymentException(ErrorCode.PaymentNotFound, `Payment ${id} not found`);
}

/** The :id of a payment route: a UUID, else PAYMENT_NOT_FOUND. */
export const PaymentIdPipe = new UuidParamPipe(paymentNotFound);
