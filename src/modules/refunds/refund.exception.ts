import { ModuleException } from '../../common/errors/app.exception.js';
import type { ErrorCode } from '../../common/errors/error-code.js';

export type RefundErrorCode =
  | ErrorCode.RefundNotFound
  | ErrorCode.RefundNotActionable
  | ErrorCode.RefundExceedsRefundable
  | ErrorCode.PaymentNotRefundable
  | ErrorCode.TransactionNotRefundable
  | ErrorCode.PaymentNotFound
  | ErrorCode.TransactionNotFound
  | ErrorCode.IdempotencyKeyMismatch
  | ErrorCode.ValidationFailed;

/** The refunds module's coded errors (HTTP statuses live in httpStatusOf). */
export class RefundException extends ModuleException<RefundErrorCode> {}
