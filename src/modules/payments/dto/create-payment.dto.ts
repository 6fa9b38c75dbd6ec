import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';

import { CHECKOUT_LOCALES, MAX_REDIRECT_URL_LENGTH, type CheckoutLocale } from '../checkout-fields.js';

export const MAX_AMOUNT = 999_999_999_999;
// Zero-width characters and bidi controls: invisible, they make text shown to a payer read otherwise.
const INVISIBLE_OR_BIDI = /^[^\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]*$/;
export const MAX_METADATA_BYTES = 4096;

function MaxJsonBytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      constraints: [max],
      validator: {
        validate: (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= max,
        defaultMessage: () => `$property must be at most ${max} bytes as JSON`,
      },
    },
    options,
  );
}

export class CreatePaymentDto {
  @ApiProperty({
    description: "The order system's id for the order; unique per API client",
    example: 'ORD-2025-000123',
    minLength: 1,
    maxLength: 64,
  })
  @IsString({ message: 'orderId must be a string' })
  @Length(1, 64, { message: 'orderId must be 1 to 64 characters' })
  @Matches(/^\P{Cc}+$/u, { message: 'orderId must not contain control characters' })
  @Matches(INVISIBLE_OR_BIDI, { message: 'orderId must not contain zero-width or bidi characters' })
  orderId: string;

  @ApiProperty({
    description: 'Amount to collect, whole VND',
    example: 150000,
    minimum: 1,
    maximum: MAX_AMOUNT,
    type: 'integer',
  })
  @IsInt({ message: `amount must be an integer between 1 and ${MAX_AMOUNT}` })
  @Min(1, { message: `amount must be an integer between 1 and ${MAX_AMOUNT}` })
  @Max(MAX_AMOUNT, { message: `amount must be an integer between 1 and ${MAX_AMOUNT}` })
  amount: number;

  @ApiPropertyOptional({
    description: 'Free text shown with the payment (not the transfer content)',
    example: 'Order ORD-2025-000123',
    maxLength: 100,
  })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(100, { message: 'description must be at most 100 characters' })
  @Matches(/^\P{Cc}*$/u, { message: 'description must not contain control characters' })
  @Matches(INVISIBLE_OR_BIDI, { message: 'description must not contain zero-width or bidi characters' })
  description?: string;

  @ApiPropertyOptional({
    description: 'Lifetime of the payment in seconds; default PAYMENT_DEFAULT_EXPIRES_SECONDS (900)',
    example: 900,
    minimum: 60,
    maximum: 86400,
    type: 'integer',
  })
  @IsOptional()
  @IsInt({ message: 'expiresInSeconds must be an integer between 60 and 86400' })
  @Min(60, { message: 'expiresInSeconds must be an integer between 60 and 86400' })
  @Max(86_400, { message: 'expiresInSeconds must be an integer between 60 and 86400' })
  expiresInSeconds?: number;

  @ApiPropertyOptional({
    description: 'Any JSON object of at most 4 KB, returned as given',
    example: { customerId: 'C-42', channel: 'web' },
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject({ message: 'metadata must be a JSON object' })
  @MaxJsonBytes(MAX_METADATA_BYTES, {
    message: `metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON`,
  })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'Where the checkout page sends the payer once the payment is PAID or OVERPAID, with ' +
      '?paymentId&orderId&status added; http(s), https only in production. Never fulfil on this redirect: ' +
      'fulfil on the webhook.',
    example: 'https://shop.example.com/orders/ORD-2025-000123/thanks',
    maxLength: MAX_REDIRECT_URL_LENGTH,
  })
  @IsOptional()
  @IsString({ message: 'returnUrl must be a string' })
  @MaxLength(MAX_REDIRECT_URL_LENGTH, {
    message: `returnUrl must be at most ${MAX_REDIRECT_URL_LENGTH} characters`,
  })
  returnUrl?: string;

  @ApiPropertyOptional({
    description:
      'Where the checkout page sends the payer after cancelling (it shows a Cancel button only with this) ' +
      'or when the payment expired or was cancelled, with ?paymentId&orderId&status&cancel=true added; ' +
      'http(s), https only in production',
    example: 'https://shop.example.com/cart',
    maxLength: MAX_REDIRECT_URL_LENGTH,
  })
  @IsOptional()
  @IsString({ message: 'cancelUrl must be a string' })
  @MaxLength(MAX_REDIRECT_URL_LENGTH, {
    message: `cancelUrl must be at most ${MAX_REDIRECT_URL_LENGTH} characters`,
  })
  cancelUrl?: string;

  @ApiPropertyOptional({
    description: "Language of the checkout page (the payer may switch with ?lang=); default 'vi'",
    enum: CHECKOUT_LOCALES,
    example: 'vi',
  })
  @IsOptional()
  @IsIn(CHECKOUT_LOCALES, { message: `locale must be one of ${CHECKOUT_LOCALES.join(', ')}` })
  locale?: CheckoutLocale;
}
