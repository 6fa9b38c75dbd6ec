import { ModuleException } from '../../common/errors/app.exception.js';
import type { ErrorCode } from '../../common/errors/error-code.js';

export type TransactionSyncErrorCode =
  ErrorCode.TransactionNotFound | ErrorCode.TransactionNotLinkable | ErrorCode.TransactionNotDismissable;

/** The ledger's review-queue errors (order-system API, the common error body). */
export class TransactionSyncException extends ModuleException<TransactionSyncErrorCode> {}
