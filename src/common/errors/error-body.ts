import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from './error-code.js';

/** The error body of every route except the VietQR-facing ones. */
export class ErrorBodyDto {
  @ApiProperty({
    enum: ErrorCode,
    example: ErrorCode.ValidationFailed,
    description: 'Stable machine-readable code',
  })
  code: ErrorCode;

  @ApiProperty({
    example: 'amount must be an integer between 1 and 999999999999',
    description: 'Readable cause',
  })
  message: string;

  @ApiProperty({ example: '7b0c7f1e-3c4e-4d54-a7f2-0d7d0d9f1c55', description: 'Echo of x-request-id' })
  requestId: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Structured detail, per code',
  })
  details?: Record<string, unknown>;
}

/** A normalised error: what happened, before it is rendered in a route's envelope. */
export interface ProblemInfo {
  status: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Renders a problem in a route family's own envelope; it may also choose the status its callers expect. */
export type ErrorRenderer = (problem: ProblemInfo, requestId: string) => { status: number; body: unknown };
