import { CreateApiClient1764130000000 } from '../../migrations/1764130000000-CreateApiClient.js';
import { CreateOutboxEvent1764130100000 } from '../../migrations/1764130100000-CreateOutboxEvent.js';
import { CreatePayment1764130200000 } from '../../migrations/1764130200000-CreatePayment.js';
import { CreateIdempotencyKey1764130210000 } from '../../migrations/1764130210000-CreateIdempotencyKey.js';
import { CreateBankTransaction1764130300000 } from '../../migrations/1764130300000-CreateBankTransaction.js';
import { CreateQrOrder1764130400000 } from '../../migrations/1764130400000-CreateQrOrder.js';
import { CreateWebhookTables1764130500000 } from '../../migrations/1764130500000-CreateWebhookTables.js';
import { AddApiClientRole1764130700000 } from '../../migrations/1764130700000-AddApiClientRole.js';
import { ShortenApiKeyHint1764130710000 } from '../../migrations/1764130710000-ShortenApiKeyHint.js';
import { AddBankTransactionDismissal1764130720000 } from '../../migrations/1764130720000-AddBankTransactionDismissal.js';
import { AddOutboxEventRequestId1764130800000 } from '../../migrations/1764130800000-AddOutboxEventRequestId.js';
import { NormaliseBankTransactionKey1764130730000 } from '../../migrations/1764130730000-NormaliseBankTransactionKey.js';
import { CreateRefund1764131000000 } from '../../migrations/1764131000000-CreateRefund.js';
import { AddRefundDebitStatus1764131000100 } from '../../migrations/1764131000100-AddRefundDebitStatus.js';
import { CreateReconcileCheck1764131100000 } from '../../migrations/1764131100000-CreateReconcileCheck.js';
import { AddBankTransactionArrivedVia1764131110000 } from '../../migrations/1764131110000-AddBankTransactionArrivedVia.js';
import { AddStatementIndexes1764131120000 } from '../../migrations/1764131120000-AddStatementIndexes.js';
import { AddPaymentCheckout1764130900000 } from '../../migrations/1764130900000-AddPaymentCheckout.js';
import { DropPaymentNotifyTrigger1764131200000 } from '../../migrations/1764131200000-DropPaymentNotifyTrigger.js';
import { HolderIndexPredicate1764131400000 } from '../../migrations/1764131400000-HolderIndexPredicate.js';
import { AddExpectUnchanged1764131500000 } from '../../migrations/1764131500000-AddExpectUnchanged.js';
import { TimeOrderedIds1764131600000 } from '../../migrations/1764131600000-TimeOrderedIds.js';

// Explicit list (not a glob): it behaves the same under the build, jest and the TypeORM CLI.
// Append new migrations at the end; never edit one that has landed.
export const MIGRATIONS = [
  CreateApiClient1764130000000,
  CreateOutboxEvent1764130100000,
  CreatePayment1764130200000,
  CreateIdempotencyKey1764130210000,
  CreateBankTransaction1764130300000,
  CreateQrOrder1764130400000,
  CreateWebhookTables1764130500000,
  AddApiClientRole1764130700000,
  ShortenApiKeyHint1764130710000,
  AddBankTransactionDismissal1764130720000,
  NormaliseBankTransactionKey1764130730000,
  AddOutboxEventRequestId1764130800000,
  CreateRefund1764131000000,
  AddRefundDebitStatus1764131000100,
  CreateReconcileCheck1764131100000,
  AddBankTransactionArrivedVia1764131110000,
  AddStatementIndexes1764131120000,
  AddPaymentCheckout1764130900000,
  DropPaymentNotifyTrigger1764131200000,
  HolderIndexPredicate1764131400000,
  AddExpectUnchanged1764131500000,
  TimeOrderedIds1764131600000,
];
