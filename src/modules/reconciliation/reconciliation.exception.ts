import { ModuleException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export type ReconciliationErrorCode = ErrorCode.PaymentHasNoQr | ErrorCode.NothingLeftToPay;

export class ReconciliationException extends ModuleException<ReconciliationErrorCode> {}

export const noQr = (id: string) =>
  new ReconciliationException(
    ErrorCode.PaymentHasNoQr,
    `payment ${id} has no QR yet: nothing to simulate or check`,
  );
export const nothingLeft = (id: string) =>
  new ReconciliationException(
    ErrorCode.NothingLeftToPay,
    `payment ${id} lacks nothing: give an amount to simulate a further transfer`,
  );
