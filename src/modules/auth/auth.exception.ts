import { ModuleException } from '../../common/errors/app.exception.js';
import type { ErrorCode } from '../../common/errors/error-code.js';

export type AuthErrorCode = ErrorCode.Unauthorized | ErrorCode.Forbidden;

/** A request without a usable API key (401), or with one whose role may not do this (403). */
export class AuthException extends ModuleException<AuthErrorCode> {}
