import { AppException } from '../../common/errors/app.exception.js';

/** The ledger's review-queue errors (order-system API, the common error body). */
export class TransactionSyncException extends AppException {}
