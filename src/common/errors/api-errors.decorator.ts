import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.js';
import { ErrorCode, httpStatusOf } from './error-code.js';
import { ERROR_EXAMPLES } from './error-examples.js';

/** One error a route can answer, with when it happens; message/details override the catalogue's example. */
export interface ApiErrorSpec {
  code: ErrorCode;
  when?: string;
  message?: string;
  details?: Record<string, unknown>;
}

const EXAMPLE_REQUEST_ID = '7b0c7f1e-3c4e-4d54-a7f2-0d7d0d9f1c55';

/**
 * Declares a route's (or controller's) error responses by code: one Swagger response per HTTP status, whose
 * examples are each code's own body (code, message, requestId, details), so Swagger UI never shows another
 * code's example. `@ApiErrors(ErrorCode.PaymentNotFound, { code: ErrorCode.DuplicateOrderId, when: '…' })`.
 * Declare every code of one status in one call: a later declaration of the same status replaces it.
 */
export function ApiErrors(...errors: Array<ErrorCode | ApiErrorSpec>): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ApiErrorSpec[]>();
  for (const error of errors) {
    const spec = typeof error === 'string' ? { code: error } : error;
    const status = httpStatusOf(spec.code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), spec]);
  }
  const decorators = [...byStatus].map(([status, specs]) => {
    const examples: Record<string, { summary: string; value: Record<string, unknown> }> = {};
    for (const spec of specs) {
      const example = ERROR_EXAMPLES[spec.code];
      let name = spec.code as string;
      for (let n = 2; examples[name]; n++) name = `${spec.code}_${n}`;
      const details = spec.details ?? example.details;
      examples[name] = {
        summary: spec.when ? `${spec.code}: ${spec.when}` : spec.code,
        value: {
          code: spec.code,
          message: spec.message ?? example.message,
          requestId: EXAMPLE_REQUEST_ID,
          ...(details ? { details } : {}),
        },
      };
    }
    const description = specs.map((s) => (s.when ? `${s.code}: ${s.when}` : s.code)).join('; ');
    return ApiResponse({ status, description, type: ErrorBodyDto, examples });
  });
  return applyDecorators(...decorators);
}
