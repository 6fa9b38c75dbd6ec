import { ModuleException } from '../../common/errors/app.exception.js';
import type { ErrorRenderer } from '../../common/errors/error-body.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export const SANDBOX_PREFIX = '/sandbox/vqr';

export type SandboxErrorCode = ErrorCode.ValidationFailed | ErrorCode.Unauthorized | ErrorCode.Forbidden;

/** The emulator's errors, answered as VietQR's server would (renderSandboxError). */
export class SandboxException extends ModuleException<SandboxErrorCode> {}

/** A business error of the emulated VietQR: answered as {"status":"FAILED","message":<vietqrMessage>}. */
export class SandboxFailure extends SandboxException {
  constructor(vietqrMessage: string, httpStatus = 400) {
    super(ErrorCode.ValidationFailed, vietqrMessage, { vietqrMessage, httpStatus });
  }
}

// Spring Security's default body for refused authentication, as VietQR's server sends it.
function springError(status: number, error: string) {
  return { status, body: { timestamp: new Date().toISOString(), status, error } };
}

/** Errors under /sandbox/vqr look like VietQR's: 400 {status:FAILED,message:E..}, Spring bodies for 401/403. */
export const renderSandboxError: ErrorRenderer = (problem) => {
  const vietqrMessage = problem.details?.vietqrMessage;
  if (typeof vietqrMessage === 'string') {
    const httpStatus = problem.details?.httpStatus;
    return {
      status: typeof httpStatus === 'number' ? httpStatus : 400,
      body: { status: 'FAILED', message: vietqrMessage },
    };
  }
  switch (problem.code) {
    case ErrorCode.Unauthorized:
      return springError(401, 'Unauthorized');
    case ErrorCode.Forbidden:
      return springError(403, 'Forbidden');
    case ErrorCode.NotFound:
      return springError(404, 'Not Found');
    case ErrorCode.MethodNotAllowed:
      return springError(405, 'Method Not Allowed');
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedBody:
    case ErrorCode.UnsupportedMediaType:
    case ErrorCode.PayloadTooLarge:
      return { status: 400, body: { status: 'FAILED', message: 'E46' } };
    default:
      // Anything else is VietQR's catch-all "unexpected error".
      return { status: problem.status >= 500 ? 500 : 400, body: { status: 'FAILED', message: 'E05' } };
  }
};
