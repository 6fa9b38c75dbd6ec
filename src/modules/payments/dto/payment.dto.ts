import { ApiProperty } from '@nestjs/swagger';
import { CHECKOUT_LOCALES, type CheckoutLocale } from '../checkout-fields.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payment-status.js';

export class PaymentQrDto {
  @ApiProperty({
    description: 'Transfer content embedded in the QR; the payer must not change it',
    example: 'VQR1a2b3c4d5e PAY7K2M9Q4X1Z',
  })
  content: string;

  @ApiProperty({
    description: 'Raw NAPAS/EMVCo payload to render as a QR image',
    example:
      '00020101021238540010A00000072701240006970422011001234567890208QRIBFTTA530370454061500005802VN62170813PAY7K2M9Q4X1Z6304ABCD',
  })
  qrCode: string;

  @ApiProperty({
    description: "VietQR's hosted QR page, when VietQR issued the QR",
    example: 'https://vietqr.vn/qr/security?publicRefId=abc',
    nullable: true,
    type: String,
  })
  qrLink: string | null;

  @ApiProperty({
    description: 'PNG image of the QR served by this gateway (also /qr.svg); needs no API key',
    example: 'https://pay.example.com/api/v1/payments/0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1/qr.png',
  })
  imageUrl: string;
}

export class PaymentBankDto {
  @ApiProperty({ description: 'VietQR bank code of the receiving account', example: 'MB' })
  bankCode: string;

  @ApiProperty({ description: 'Receiving account number', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({ description: 'Receiving account holder', example: 'NGUYEN VAN A' })
  accountName: string;
}

export class BankAppLinkDto {
  @ApiProperty({ description: "VietQR.io's id of the banking app", example: 'mb' })
  app: string;

  @ApiProperty({ description: 'Name of the app to show', example: 'MB Bank' })
  name: string;

  @ApiProperty({
    description: 'The app opens with account, amount and content filled in (else it only opens)',
    example: true,
  })
  prefills: boolean;

  @ApiProperty({
    description: "Link that opens the app on the payer's phone with the transfer for the amount still due",
    example:
      'https://dl.vietqr.io/pay?app=mb&ba=0123456789@mb&am=150000&tn=PAY7K2M9Q4X1Z&url=https%3A%2F%2Fpay.example.com%2Fpay%2Fabc',
  })
  url: string;
}

export class PaymentDto {
  @ApiProperty({ description: 'Payment id', example: '0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1', format: 'uuid' })
  id: string;

  @ApiProperty({ description: "The order system's order id", example: 'ORD-2025-000123' })
  orderId: string;

  @ApiProperty({ description: 'Amount to collect, whole VND', example: 150000, type: 'integer' })
  amount: number;

  @ApiProperty({ description: 'Always VND', example: 'VND', enum: ['VND'] })
  currency: 'VND';

  @ApiProperty({
    description:
      'PENDING → PARTIALLY_PAID → PAID or OVERPAID; PENDING or PARTIALLY_PAID → EXPIRED or CANCELLED. ' +
      'EXPIRED and CANCELLED are final: money arriving later is linked as late and does not change them.',
    enum: PAYMENT_STATUSES,
    example: 'PENDING',
  })
  status: PaymentStatus;

  @ApiProperty({
    description: 'Sum of the transfers counted towards the payment (late ones excluded)',
    example: 0,
    type: 'integer',
  })
  amountPaid: number;

  @ApiProperty({ description: 'amount - amountPaid, never below 0', example: 150000, type: 'integer' })
  amountRemaining: number;

  @ApiProperty({
    description: 'Sum of the refunds that succeeded (late money included); the status does not change',
    example: 0,
    type: 'integer',
  })
  amountRefunded: number;

  @ApiProperty({
    description: 'none, partial, or full once refunds cover every transfer linked to the payment',
    enum: ['none', 'partial', 'full'],
    example: 'none',
  })
  refundStatus: 'none' | 'partial' | 'full';

  @ApiProperty({
    description: 'As given at creation',
    example: 'Order ORD-2025-000123',
    nullable: true,
    type: String,
  })
  description: string | null;

  @ApiProperty({
    description: 'Our payment code: the transfer content of the QR and the orderId VietQR reports back',
    example: 'PAY7K2M9Q4X1Z',
  })
  code: string;

  @ApiProperty({
    description: 'The QR to show the payer; null while the QR could not be obtained (retry the POST)',
    type: PaymentQrDto,
    nullable: true,
  })
  qr: PaymentQrDto | null;

  @ApiProperty({
    description: 'The account that receives the transfer',
    type: PaymentBankDto,
    nullable: true,
  })
  bank: PaymentBankDto | null;

  @ApiProperty({
    description:
      "The payer's hosted checkout page (no API key; the token in it is random and is not the payment id)",
    example: 'https://pay.example.com/pay/q3Jx0lS6bq9C0m4r8XbJ3tVn1e5Pz2WkYhU7aGdLfNc',
  })
  checkoutUrl: string;

  @ApiProperty({
    description: 'Where the checkout page sends the payer once paid (as given)',
    example: 'https://shop.example.com/orders/ORD-2025-000123/thanks',
    nullable: true,
    type: String,
  })
  returnUrl: string | null;

  @ApiProperty({
    description: 'Where the checkout page sends the payer after cancelling or expiry (as given)',
    example: 'https://shop.example.com/cart',
    nullable: true,
    type: String,
  })
  cancelUrl: string | null;

  @ApiProperty({ description: 'Language of the checkout page', enum: CHECKOUT_LOCALES, example: 'vi' })
  locale: CheckoutLocale;

  @ApiProperty({
    description:
      'Banking-app links for the amount still due (apps that pre-fill the transfer first), for order ' +
      'systems with native apps; empty unless the payment is PENDING or PARTIALLY_PAID with a QR',
    type: [BankAppLinkDto],
  })
  deeplinks: BankAppLinkDto[];

  @ApiProperty({ description: 'When the payment expires unless paid', example: '2025-11-26T10:15:00.000Z' })
  expiresAt: string;

  @ApiProperty({ example: '2025-11-26T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2025-11-26T10:00:00.000Z' })
  updatedAt: string;

  @ApiProperty({
    description: 'As given at creation',
    example: { customerId: 'C-42', channel: 'web' },
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  metadata: Record<string, unknown> | null;
}

export class PaymentTransactionDto {
  @ApiProperty({
    description: 'Id of the bank transaction (the ledger row, our reftransactionid)',
    example: '5d1c8a60-2f57-4a3c-9a0e-7cf1f0d6b8e2',
    format: 'uuid',
  })
  id: string;

  @ApiProperty({ description: 'Bank reference of the transfer', example: 'FT25330123456789' })
  reference: string;

  @ApiProperty({ description: 'Amount transferred, whole VND', example: 50000, type: 'integer' })
  amount: number;

  @ApiProperty({
    description: 'Transfer content as the bank reported it',
    example: 'VQR1a2b3c4d5e PAY7K2M9Q4X1Z',
  })
  content: string;

  @ApiProperty({ description: 'Receiving account', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({
    description: 'Arrived after the payment was EXPIRED or CANCELLED: kept for review, not counted',
    example: false,
  })
  late: boolean;

  @ApiProperty({
    description: 'When the bank says it was paid, if it said',
    example: '2025-11-26T10:03:12.000Z',
    nullable: true,
    type: String,
  })
  paidAt: string | null;

  @ApiProperty({ description: 'When we received it', example: '2025-11-26T10:03:13.000Z' })
  receivedAt: string;

  @ApiProperty({ description: 'When it was linked to this payment', example: '2025-11-26T10:03:13.000Z' })
  linkedAt: string;

  @ApiProperty({ description: "Who linked it: 'vietqr', 'reconcile' or 'client:<name>'", example: 'vietqr' })
  linkedBy: string;
}

export class PaymentHistoryEntryDto {
  @ApiProperty({
    description: 'Status before; null for the creation',
    example: 'PENDING',
    nullable: true,
    enum: PAYMENT_STATUSES,
  })
  fromStatus: PaymentStatus | null;

  @ApiProperty({ description: 'Status after', example: 'PARTIALLY_PAID', enum: PAYMENT_STATUSES })
  toStatus: PaymentStatus;

  @ApiProperty({ description: 'amountPaid after the change', example: 50000, type: 'integer' })
  amountPaid: number;

  @ApiProperty({
    description: "Cause: 'vietqr', 'sweeper', 'reconcile' or 'client:<name>'",
    example: 'vietqr',
  })
  actor: string;

  @ApiProperty({ description: 'Why, when known', example: 'credit', nullable: true, type: String })
  reason: string | null;

  @ApiProperty({
    description: 'The bank transaction that caused it, if any',
    example: '5d1c8a60-2f57-4a3c-9a0e-7cf1f0d6b8e2',
    nullable: true,
    type: String,
  })
  bankTransactionId: string | null;

  @ApiProperty({ description: 'When', example: '2025-11-26T10:03:13.000Z' })
  at: string;
}

export class PaymentDetailDto extends PaymentDto {
  @ApiProperty({
    description: 'Bank transactions linked to the payment, oldest first',
    type: [PaymentTransactionDto],
  })
  transactions: PaymentTransactionDto[];

  @ApiProperty({ description: 'Every change of the payment, oldest first', type: [PaymentHistoryEntryDto] })
  history: PaymentHistoryEntryDto[];
}

export class PaymentListDto {
  @ApiProperty({ description: 'Payments, newest first', type: [PaymentDto] })
  data: PaymentDto[];

  @ApiProperty({
    description: 'Pass as ?cursor= for the next page; null on the last page',
    example: 'MGYzYjY4ZDQtN2I3Ni00ZjNkLWEzZTAtMmQ5ZjE2YjdhOWQx',
    nullable: true,
    type: String,
  })
  nextCursor: string | null;
}
