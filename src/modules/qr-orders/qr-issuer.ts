// How payments obtains a QR for a new payment. The qr-orders module binds QrIssuer once, to VietQR's
// generate-customer or to a locally built NAPAS payload (QR_PROVIDER); payments imports the module.

export interface QrIssueRequest {
  paymentId: string;
  /** Our payment code: unique, A-Z0-9, at most 13 characters. Sent as VietQR's orderId and content. */
  code: string;
  amount: number;
  description: string | null;
}

export interface IssuedQr {
  provider: 'vietqr' | 'local';
  /** The transfer content embedded in the QR, e.g. "VQR1a2b3c4d5e PAY7K2M9Q4X1ZB". */
  content: string;
  /** VietQR's trace id ("VQR" + 10 characters) found in content; null for local payloads. */
  traceId: string | null;
  /** The raw NAPAS/EMVCo payload to render as a QR image. */
  qrCode: string;
  qrLink: string | null;
  transactionRefId: string | null;
  bankCode: string;
  bankAccount: string;
  accountName: string;
}

export abstract class QrIssuer {
  /**
   * Returns the QR for the payment. Must be idempotent per paymentId: a retried call for the same payment
   * returns the QR already obtained instead of ordering a second one upstream.
   */
  abstract issue(request: QrIssueRequest): Promise<IssuedQr>;
}
