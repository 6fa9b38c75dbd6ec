import { AppException } from '../../common/errors/app.exception.js';

/** The refunds module's coded errors (codes and HTTP statuses live in ErrorCode / httpStatusOf). */
export class RefundException extends AppException {}
