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

/**
 * A module's own exception: `C` lists the codes that module answers with, so a module cannot throw
 * another's code by mistake. The HTTP status of each code is still decided once, in httpStatusOf.
 */
export abstract class ModuleException<C extends ErrorCode> extends AppException {
  declare readonly code: C;

  constructor(code: C, message: string, details?: Record<string, unknown>, headers?: Record<string, string>) {
    super(code, message, details, headers);
  }
}
