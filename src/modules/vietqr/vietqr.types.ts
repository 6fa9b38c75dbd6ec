// VietQR's wire shapes (vietqr-api.md §1), as sent and received by VietQrClient and the sandbox emulator.

export interface VietQrToken {
  access_token: string;
  token_type: string;
  /** Seconds. */
  expires_in: number;
}

export interface GenerateCustomerRequest {
  bankCode: string;
  bankAccount: string;
  userBankName: string;
  content: string;
  /** 0 dynamic, 1 static, 3 semi-dynamic. */
  qrType: number;
  amount?: number;
  orderId?: string;
  transType?: 'C' | 'D';
  terminalCode?: string;
  subTerminalCode?: string;
  serviceCode?: string;
  sign?: string;
  urlLink?: string;
  note?: string;
}

export interface GenerateCustomerResponse {
  bankCode: string;
  bankName: string;
  bankAccount: string;
  userBankName: string;
  /** A string on the wire, e.g. "150000". */
  amount: string;
  /** Final content embedded in the QR, with VietQR's "VQR…" trace id in front. */
  content: string;
  qrCode: string;
  imgId: string;
  existing: number;
  transactionId: string;
  transactionRefId: string;
  qrLink: string;
  terminalCode: string | null;
  subTerminalCode: string;
  serviceCode: string;
  orderId: string;
  additionalData: unknown[];
}

export interface TestCallbackRequest {
  bankAccount: string;
  /** The content generate-customer returned, VQR trace id included. */
  content: string;
  amount: number;
  transType: 'C' | 'D';
  bankCode: string;
  /** Our emulator's extension: false = paid, but the callback is never delivered. VietQR ignores it. */
  deliver?: boolean;
}

/** VietQR's action answer: {"status":"SUCCESS","message":""}. */
export interface VietQrActionResult {
  status: 'SUCCESS';
  message: string;
}

export interface CheckOrderRequest {
  bankAccount: string;
  /** 0 = by orderId, 1 = by referenceNumber (bank FT code). */
  type: 0 | 1;
  value: string;
}

export interface CheckOrderItem {
  referenceNumber: string;
  orderId: string;
  amount: number;
  content: string;
  transType: string;
  /** 0 pending, 1 paid, 2 cancelled/expired. */
  status: number;
  /** 0 dynamic VietQR, 1 static, 2 outside VietQR, 3 semi-dynamic, 6 refund. */
  type: number;
  /** Epoch seconds. */
  timeCreated: number;
  timePaid: number;
  terminalCode: string;
  note: string;
  refundCount?: number;
  amountRefunded?: number;
}

/** api/transaction/refund (vietqr-api.md §1.5); checkSum is added by the client. */
export interface RefundRequest {
  bankAccount: string;
  /** FT code of the original paid transaction. */
  referenceNumber: string;
  /** A string on the wire; the checksum covers exactly this string. */
  amount: string;
  content: string;
  bankCode: string;
  /** Allows later partial refunds; only read on a transaction's first refund. */
  multiTimes?: boolean;
}

/** VietQR's error envelope: {"status":"FAILED","message":"E46"} with HTTP 400. */
export interface VietQrFailure {
  status: 'FAILED';
  message: string;
}
