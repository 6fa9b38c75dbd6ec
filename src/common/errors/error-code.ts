// Every error code the API can answer with, and its HTTP status. Modules throw their own exception classes
// (PaymentException, ...) with codes from this one list so the mapping stays exhaustive in one place.
export enum ErrorCode {
  // reconciliation: simulate / reconcile need a payment that has its QR
  PaymentHasNoQr = 'PAYMENT_HAS_NO_QR',
  NothingLeftToPay = 'NOTHING_LEFT_TO_PAY',
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedBody = 'MALFORMED_BODY',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** The request (its body) did not arrive within the server's request timeout. */
  RequestTimeout = 'REQUEST_TIMEOUT',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  Conflict = 'CONFLICT',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
  /** VietQR answered with an error (details: vietqrCode, meaning). */
  UpstreamError = 'UPSTREAM_ERROR',
  /** VietQR could not be reached (connection refused, reset, DNS). */
  UpstreamUnavailable = 'UPSTREAM_UNAVAILABLE',
  /** VietQR did not answer within VIETQR_TIMEOUT_MS. */
  UpstreamTimeout = 'UPSTREAM_TIMEOUT',
  // transaction-sync: the review queue of the bank-transaction ledger
  TransactionNotFound = 'TRANSACTION_NOT_FOUND',
  TransactionNotLinkable = 'TRANSACTION_NOT_LINKABLE',
  /** Only unmatched, late and conflict items are dismissed. */
  TransactionNotDismissable = 'TRANSACTION_NOT_DISMISSABLE',
  WebhookEndpointNotFound = 'WEBHOOK_ENDPOINT_NOT_FOUND',
  WebhookDeliveryNotFound = 'WEBHOOK_DELIVERY_NOT_FOUND',
  WebhookUrlRefused = 'WEBHOOK_URL_REFUSED',
  WebhookEndpointLimitReached = 'WEBHOOK_ENDPOINT_LIMIT_REACHED',
  WebhookDeliveryInProgress = 'WEBHOOK_DELIVERY_IN_PROGRESS',
  // payments
  PaymentNotFound = 'PAYMENT_NOT_FOUND',
  PaymentQrNotFound = 'PAYMENT_QR_NOT_FOUND',
  DuplicateOrderId = 'DUPLICATE_ORDER_ID',
  PaymentNotCancellable = 'PAYMENT_NOT_CANCELLABLE',
  /** The QR of a CANCELLED, EXPIRED or PAID payment: nothing is to be paid on it any more. */
  PaymentNotPayable = 'PAYMENT_NOT_PAYABLE',
  TransactionAlreadyLinked = 'TRANSACTION_ALREADY_LINKED',
  IdempotencyKeyInFlight = 'IDEMPOTENCY_KEY_IN_FLIGHT',
  IdempotencyKeyMismatch = 'IDEMPOTENCY_KEY_MISMATCH',
  // refunds
  RefundNotFound = 'REFUND_NOT_FOUND',
  PaymentNotRefundable = 'PAYMENT_NOT_REFUNDABLE',
  TransactionNotRefundable = 'TRANSACTION_NOT_REFUNDABLE',
  RefundExceedsRefundable = 'REFUND_EXCEEDS_REFUNDABLE',
  RefundNotActionable = 'REFUND_NOT_ACTIONABLE',
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedBody:
    case ErrorCode.WebhookUrlRefused:
      return 400;
    case ErrorCode.Unauthorized:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.TransactionNotFound:
    case ErrorCode.WebhookEndpointNotFound:
    case ErrorCode.WebhookDeliveryNotFound:
    case ErrorCode.PaymentNotFound:
    case ErrorCode.PaymentQrNotFound:
    case ErrorCode.RefundNotFound:
      return 404;
    case ErrorCode.MethodNotAllowed:
      return 405;
    case ErrorCode.RequestTimeout:
      return 408;
    case ErrorCode.Conflict:
    case ErrorCode.PaymentHasNoQr:
    case ErrorCode.NothingLeftToPay:
    case ErrorCode.TransactionNotLinkable:
    case ErrorCode.TransactionNotDismissable:
    case ErrorCode.WebhookEndpointLimitReached:
    case ErrorCode.WebhookDeliveryInProgress:
    case ErrorCode.DuplicateOrderId:
    case ErrorCode.PaymentNotCancellable:
    case ErrorCode.TransactionAlreadyLinked:
    case ErrorCode.IdempotencyKeyInFlight:
    case ErrorCode.PaymentNotRefundable:
    case ErrorCode.TransactionNotRefundable:
    case ErrorCode.RefundNotActionable:
      return 409;
    case ErrorCode.PaymentNotPayable:
      return 410;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.IdempotencyKeyMismatch:
    case ErrorCode.RefundExceedsRefundable:
      return 422;
    case ErrorCode.TooManyRequests:
      return 429;
    case ErrorCode.Internal:
      return 500;
    case ErrorCode.UpstreamError:
    case ErrorCode.UpstreamUnavailable:
      return 502;
    case ErrorCode.ServiceUnavailable:
      return 503;
    case ErrorCode.UpstreamTimeout:
      return 504;
  }
}
