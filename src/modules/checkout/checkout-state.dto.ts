import { ApiProperty } from '@nestjs/swagger';
import { PAYMENT_STATUSES, type PaymentStatus } from '../payments/payment-status.js';

/** What the payer's page needs to follow a payment (GET /pay/:token/status and each server-sent event). */
export class CheckoutStateDto {
  @ApiProperty({ enum: PAYMENT_STATUSES, example: 'PARTIALLY_PAID' })
  status: PaymentStatus;

  @ApiProperty({ description: 'Amount of the payment, whole VND', example: 150000, type: 'integer' })
  amount: number;

  @ApiProperty({ description: 'Still to transfer, whole VND (0 once paid)', example: 50000, type: 'integer' })
  amountDue: number;

  @ApiProperty({ description: 'Counted so far, whole VND', example: 100000, type: 'integer' })
  amountPaid: number;

  @ApiProperty({ example: '2025-11-26T10:15:00.000Z' })
  expiresAt: string;

  @ApiProperty({
    description:
      'Where the page sends the payer now: returnUrl (PAID, OVERPAID) or cancelUrl (EXPIRED, CANCELLED) ' +
      'with paymentId, orderId and status added; null while the payment is open or without such URL',
    example: 'https://shop.example.com/orders/ORD-1/thanks?paymentId=0f3b…&orderId=ORD-1&status=PAID',
    nullable: true,
    type: String,
  })
  redirectUrl: string | null;
}
