/** A bank transaction as VietQR reported it (transaction-sync or check-order), normalised. */
export interface BankTransactionInput {
  /** Idempotency key part: referencenumber, else transactionid. */
  reference: string;
  referenceNumber: string | null;
  transactionId: string | null;
  amount: number;
  content: string;
  bankAccount: string;
  transType: 'C' | 'D';
  transactionTime: Date | null;
  orderId: string | null;
  sign: string | null;
  terminalCode: string | null;
  subTerminalCode: string | null;
  serviceCode: string | null;
  urlLink: string | null;
}
