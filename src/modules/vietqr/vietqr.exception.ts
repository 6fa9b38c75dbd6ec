import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export type VietQrOperation = 'token' | 'generate-customer' | 'test-callback' | 'check-order' | 'refund';

export interface VietQrErrorDetails {
  operation: VietQrOperation;
  /** VietQR's own code (E24, E46, ...) when it gave one. */
  vietqrCode: string | null;
  meaning: string;
  /** HTTP status VietQR answered with, when it answered. */
  upstreamStatus?: number;
  /** What VietQR said after the code ("E05 - <this>"), when it said more. */
  upstreamMessage?: string;
  timeoutMs?: number;
  [key: string]: unknown;
}

/** A failed call to VietQR: 502 when it refused or was unreachable, 504 when it did not answer in time. */
export class VietQrException extends AppException {
  constructor(
    code: ErrorCode.UpstreamError | ErrorCode.UpstreamUnavailable | ErrorCode.UpstreamTimeout,
    message: string,
    override readonly details: VietQrErrorDetails,
  ) {
    super(code, message, details);
  }

  get vietqrCode(): string | null {
    return this.details.vietqrCode;
  }
}
