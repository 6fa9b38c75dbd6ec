import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException } from '../errors/app.exception.js';
import { ErrorCode } from '../errors/error-code.js';
import { findUnstorableText, storableText } from '../text/storable-text.js';

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates) anywhere in a body or query is a 400 naming the field,
 * before validation, so no DTO can forget it and no statement fails with a 500. The VietQR-facing
 * transaction-sync reads its body itself and records such text instead (money must not be refused).
 */
class StorableTextValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const path = findUnstorableText(value);
      if (path !== null) {
        const field = storableText(path);
        const problem = `${field} must not contain NUL or unpaired UTF-16 surrogates`;
        throw new AppException(ErrorCode.ValidationFailed, problem, {
          fields: [{ field, problems: [problem] }],
        });
      }
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: strips nothing silently (unknown fields are 400) and names every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new StorableTextValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const message = fields.map((f) => f.problems.join(', ')).join('; ') || 'Invalid request';
      return new AppException(ErrorCode.ValidationFailed, message, { fields });
    },
  });
}
