import { ErrorCode } from './error-code.js';

export interface ErrorExampleBody {
  message: string;
  details?: Record<string, unknown>;
}

const PAYMENT_ID = '0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1';

// What each code looks like on the wire, for Swagger. A Record over every code: adding an ErrorCode without
// its example fails the type check, so no route can fall back to another code's example.
export const ERROR_EXAMPLES: Record<ErrorCode, ErrorExampleBody> = {
  [ErrorCode.PaymentNotPayable]: {
    message: `Payment ${PAYMENT_ID} is CANCELLED: its QR is no longer payable`,
    details: { status: 'CANCELLED' },
  },
  [ErrorCode.ValidationFailed]: {
    message: 'amount must be an integer between 1 and 999999999999',
    details: {
      fields: [{ field: 'amount', problems: ['amount must be an integer between 1 and 999999999999'] }],
    },
  },
  [ErrorCode.MalformedBody]: { message: 'Body is not valid JSON' },
  [ErrorCode.UnsupportedMediaType]: {
    message: 'Content-Type must be application/json, got application/x-www-form-urlencoded',
    details: { expected: 'application/json', received: 'application/x-www-form-urlencoded' },
  },
  [ErrorCode.PayloadTooLarge]: { message: 'Body is larger than the size limit' },
  [ErrorCode.RequestTimeout]: { message: 'The request did not arrive within the request timeout' },
  [ErrorCode.Unauthorized]: { message: 'Unknown or revoked API key' },
  [ErrorCode.Forbidden]: { message: 'Missing, invalid or expired Bearer token' },
  [ErrorCode.NotFound]: { message: 'Route GET:/api/v1/nothing not found' },
  [ErrorCode.MethodNotAllowed]: { message: 'Method not allowed' },
  [ErrorCode.Conflict]: { message: 'Conflict' },
  [ErrorCode.TooManyRequests]: { message: 'Too many requests; retry later' },
  [ErrorCode.ServiceUnavailable]: { message: 'The database is unavailable; retry shortly' },
  [ErrorCode.Internal]: { message: 'Internal error' },
  [ErrorCode.UpstreamError]: {
    message: 'VietQR refused generate-customer: E24 (No bank found for the given bankCode)',
    details: {
      operation: 'generate-customer',
      vietqrCode: 'E24',
      meaning: 'No bank found for the given bankCode',
      upstreamStatus: 400,
    },
  },
  [ErrorCode.UpstreamUnavailable]: {
    message: 'VietQR could not be reached (ECONNREFUSED)',
    details: { operation: 'generate-customer', vietqrCode: null, meaning: 'Unreachable' },
  },
  [ErrorCode.UpstreamTimeout]: {
    message: 'VietQR did not answer generate-customer within 10000 ms',
    details: {
      operation: 'generate-customer',
      vietqrCode: null,
      meaning: 'No answer in time',
      timeoutMs: 10000,
    },
  },
  [ErrorCode.TransactionNotFound]: { message: 'No bank transaction 5d1c1a52-4a8e-4c07-9a43-2f0b0c5e8d10' },
  [ErrorCode.TransactionNotDismissable]: {
    message:
      'Bank transaction 5d1c1a52-4a8e-4c07-9a43-2f0b0c5e8d10 is linked; only unmatched, late or conflict ones are dismissed',
    details: { status: 'linked' },
  },
  [ErrorCode.TransactionNotLinkable]: {
    message:
      'Bank transaction 5d1c1a52-4a8e-4c07-9a43-2f0b0c5e8d10 is linked; only unmatched, late or conflict ones are linked by hand',
    details: { status: 'linked' },
  },
  [ErrorCode.WebhookEndpointNotFound]: { message: 'No such webhook endpoint' },
  [ErrorCode.WebhookDeliveryNotFound]: { message: 'No such webhook delivery' },
  [ErrorCode.WebhookUrlRefused]: {
    message: 'url must use https',
    details: { field: 'url' },
  },
  [ErrorCode.WebhookEndpointLimitReached]: {
    message: 'At most 20 webhook endpoints per client; delete one first',
  },
  [ErrorCode.WebhookDeliveryInProgress]: {
    message: 'An attempt of this delivery is under way; retry once it has ended',
  },
  [ErrorCode.PaymentNotFound]: { message: `Payment ${PAYMENT_ID} not found` },
  [ErrorCode.PaymentQrNotFound]: { message: `Payment ${PAYMENT_ID} has no QR yet` },
  [ErrorCode.DuplicateOrderId]: {
    message: `A payment for order ORD-10042 exists: ${PAYMENT_ID}`,
    details: { paymentId: PAYMENT_ID },
  },
  [ErrorCode.PaymentNotCancellable]: {
    message: `Payment ${PAYMENT_ID} is PAID and can no longer be cancelled`,
    details: { status: 'PAID' },
  },
  [ErrorCode.TransactionAlreadyLinked]: {
    message: 'Bank transaction 5d1c1a52-4a8e-4c07-9a43-2f0b0c5e8d10 is already linked to another payment',
    details: { paymentId: PAYMENT_ID },
  },
  [ErrorCode.IdempotencyKeyInFlight]: {
    message: 'A request with this Idempotency-Key is still being processed; retry shortly',
  },
  [ErrorCode.IdempotencyKeyMismatch]: {
    message: 'This Idempotency-Key was used with a different request body',
  },
  [ErrorCode.PaymentHasNoQr]: {
    message: `payment ${PAYMENT_ID} has no QR yet: nothing to simulate or check`,
  },
  [ErrorCode.NothingLeftToPay]: {
    message: `payment ${PAYMENT_ID} lacks nothing: give an amount to simulate a further transfer`,
  },
  [ErrorCode.RefundNotFound]: { message: 'Refund 6a1f0c8e-3b2d-4c5e-8f90-1a2b3c4d5e6f not found' },
  [ErrorCode.PaymentNotRefundable]: {
    message: `No money arrived for payment ${PAYMENT_ID}: nothing to refund`,
  },
  [ErrorCode.TransactionNotRefundable]: {
    message:
      'Bank transaction 5d1c1a52-4a8e-4c07-9a43-2f0b0c5e8d10 is linked; only unmatched, late or dismissed money is refunded from the review queue',
    details: { status: 'linked' },
  },
  [ErrorCode.RefundExceedsRefundable]: {
    message: 'Only 50000 VND is refundable, not 150000',
    details: { refundable: 50000, requested: 150000 },
  },
  [ErrorCode.RefundNotActionable]: {
    message:
      'Refund 6a1f0c8e-3b2d-4c5e-8f90-1a2b3c4d5e6f is SUCCEEDED; only a REQUIRES_ACTION refund can be completed by hand',
    details: { status: 'SUCCEEDED' },
  },
};
