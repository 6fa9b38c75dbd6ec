import { HttpException } from '@nestjs/common';
import { AppException } from './app.exception.js';
import { ProblemInfo } from './error-body.js';
import { ErrorCode } from './error-code.js';

// Postgres SQLSTATE classes and socket errors that mean "the database is not reachable right now":
// the request may succeed if retried, so they answer 503 rather than 500.
const DB_UNAVAILABLE_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);
const DB_UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const DB_UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  'the database system is',
  'terminating connection',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const candidate = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof candidate.code === 'string') {
    if (DB_UNAVAILABLE_SQLSTATES.has(candidate.code) || DB_UNAVAILABLE_ERRNOS.has(candidate.code))
      return true;
  }
  if (
    typeof candidate.message === 'string' &&
    DB_UNAVAILABLE_MESSAGES.some((m) => (candidate.message as string).includes(m))
  ) {
    return true;
  }
  return isDatabaseUnavailable(candidate.driverError) || isDatabaseUnavailable(candidate.cause);
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.ValidationFailed;
    case 401:
      return ErrorCode.Unauthorized;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 405:
      return ErrorCode.MethodNotAllowed;
    case 409:
      return ErrorCode.Conflict;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 415:
      return ErrorCode.UnsupportedMediaType;
    case 429:
      return ErrorCode.TooManyRequests;
    case 503:
      return ErrorCode.ServiceUnavailable;
    default:
      return status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed;
  }
}

function httpExceptionMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return error.message;
}

/** Normalises anything thrown while serving a request into a status, a code and a safe message. */
export function toProblem(error: unknown): ProblemInfo & { unexpected: boolean } {
  if (error instanceof AppException) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
      unexpected: false,
    };
  }
  // Fastify's own errors (body parsing, size, content type) arrive wrapped by Nest, the original as cause.
  if (
    error instanceof HttpException &&
    error.cause &&
    typeof error.cause === 'object' &&
    'statusCode' in error.cause
  ) {
    return toProblem(error.cause);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      status,
      code: codeForStatus(status),
      message: httpExceptionMessage(error),
      unexpected: status >= 500,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: ErrorCode.ServiceUnavailable,
      message: 'The database is unavailable; retry shortly',
      headers: { 'retry-after': '5' },
      unexpected: false,
    };
  }
  // Fastify's errors carry statusCode and an FST_ code.
  const fastify = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const fstCode = typeof fastify.code === 'string' ? fastify.code : '';
    let code = codeForStatus(status);
    let message = typeof fastify.message === 'string' ? fastify.message : 'Bad request';
    if (status === 400 && (fstCode.startsWith('FST_ERR_CTP') || error instanceof SyntaxError)) {
      code = ErrorCode.MalformedBody;
      message =
        fstCode === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'Body must not be empty' : 'Body is not valid JSON';
    }
    if (status === 413) message = 'Body is larger than the size limit';
    if (status === 415) {
      // Fastify's message is "Unsupported Media Type: <type>".
      const received = /Unsupported Media Type: ?(.*)$/.exec(String(fastify.message))?.[1]?.trim() || null;
      return {
        status,
        code,
        message: `Content-Type must be application/json${received ? `, got ${received}` : ''}`,
        details: { expected: 'application/json', received },
        unexpected: false,
      };
    }
    return { status, code, message, unexpected: false };
  }
  return { status: 500, code: ErrorCode.Internal, message: 'Internal error', unexpected: true };
}
