import { AppException } from '../../common/errors/app.exception.js';

/** The payments module's coded errors (codes and HTTP statuses live in ErrorCode / httpStatusOf). */
export class PaymentException extends AppException {}
