import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid } from './cursor.js';

/**
 * An id path parameter, checked once at the edge: what is not a UUID names nothing, so it answers the
 * module's own 404 (`notFound`) as an unknown id would, instead of reaching the database.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly notFound: (id: string) => Error) {}

  transform(value: string): string {
    if (!isUuid(value)) throw this.notFound(value);
    return value;
  }
}
