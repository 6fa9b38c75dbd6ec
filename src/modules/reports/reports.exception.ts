import { ModuleException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export type ReportsErrorCode = ErrorCode.ValidationFailed | ErrorCode.TooManyRequests;

export class ReportsException extends ModuleException<ReportsErrorCode> {}

export const noSuchDate = (date: string) =>
  new ReportsException(ErrorCode.ValidationFailed, `date ${date} does not exist`);
export const badBound = (name: string, value: string) =>
  new ReportsException(ErrorCode.ValidationFailed, `${name} ${value} is not a valid date or date-time`);
export const emptyPeriod = () => new ReportsException(ErrorCode.ValidationFailed, 'to must be after from');
export const exportsBusy = (limit: number) =>
  new ReportsException(
    ErrorCode.TooManyRequests,
    `${limit} exports are running on this instance; retry when one has finished`,
  );
