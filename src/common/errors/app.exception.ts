import { ErrorCode, httpStatusOf } from './error-code.js';

/** Base of every coded error; the global filter renders it as {code, message, requestId, details?}. */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return httpStatusOf(this.code);
  }
}
