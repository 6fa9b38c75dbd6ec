/** A bank transaction as VietQR reported it (transaction-sync or check-order), normalised. */
export interface BankTransactionInput {
  /** The bank's reference as sent: referencenumber, else transactionid (what VietQR knows it by). */
  reference: string;
  /** Idempotency key part: the reference trimmed and upper-cased. */
  referenceKey: string;
  /** As sent; null when blank. */
  referenceNumber: string | null;
  /**
   * As sent; null when blank. The second key, compared normalised like the reference: a known transactionid
   * (on the same account and type) is that transaction whatever its reference.
   */
  transactionId: string | null;
  amount: number;
  content: string;
  /** As sent. */
  bankAccount: string;
  /** Idempotency key part: the account's letters and digits, upper-cased ("0123-456 789" is 0123456789). */
  accountKey: string;
  transType: 'C' | 'D';
  transactionTime: Date | null;
  orderId: string | null;
  sign: string | null;
  terminalCode: string | null;
  subTerminalCode: string | null;
  serviceCode: string | null;
  urlLink: string | null;
}
