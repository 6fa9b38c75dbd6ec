import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The transaction-sync body, for the documentation only: the endpoint reads the raw body with its own
 * normaliser (transaction-sync-body.ts), because it must accept both spellings and ignore unknown keys.
 */
export class TransactionSyncRequestDto {
  @ApiPropertyOptional({
    description:
      'VietQR/bank transaction id (also accepted: transactionId). The reference when referencenumber is empty. Up to 100 characters',
    example: 'c0e43e2c-75b8-4c7f-8826-b72945d89a9f',
  })
  transactionid?: string;

  @ApiPropertyOptional({
    description:
      'Payment time: epoch milliseconds, or seconds (told apart by magnitude). Also: transactionTime. Unreadable values are stored as null',
    example: 1767844560000,
  })
  transactiontime?: number;

  @ApiPropertyOptional({
    description:
      'Bank reference / FT code, the idempotency key with transType and bankaccount (also: referenceNumber). Up to 100 characters; this or transactionid is required',
    example: 'FT26008507756020',
  })
  referencenumber?: string;

  @ApiProperty({
    description:
      'VND, a whole number 1..10^13: an integer, a string of digits, or an integral decimal such as 25000.0',
    example: 150000,
    oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+(\\.0*)?$' }],
  })
  amount: number | string;

  @ApiProperty({
    description: 'Transfer content as the bank carried it; may be "". Up to 1000 characters',
    example: 'QR VQR1a2b3c4d5e DH12345 Ma giao dich Trace756759',
  })
  content: string;

  @ApiProperty({
    description: 'Receiving account (also: bankAccount). Up to 64 characters',
    example: '0123456789',
  })
  bankaccount: string;

  @ApiProperty({ enum: ['C', 'D'], description: 'C credit (incoming), D debit', example: 'C' })
  transType: 'C' | 'D';

  @ApiPropertyOptional({
    description: 'Our payment code when VietQR matched the QR; "" otherwise. Up to 100 characters',
    example: 'DH12345',
  })
  orderId?: string;

  @ApiPropertyOptional({
    description: 'Echo of the sign we passed at QR creation. Up to 1000 characters',
    example: '',
  })
  sign?: string;

  @ApiPropertyOptional({ description: 'Up to 100 characters', example: '' })
  terminalCode?: string;

  @ApiPropertyOptional({ description: 'Up to 100 characters', example: '' })
  subTerminalCode?: string;

  @ApiPropertyOptional({ description: 'Up to 100 characters', example: '' })
  serviceCode?: string;

  @ApiPropertyOptional({
    description: 'Echo of the urlLink we passed. Up to 2048 characters',
    example: 'https://shop.example.com/orders/DH12345',
  })
  urlLink?: string;
}

export const TRANSACTION_SYNC_EXAMPLE = {
  transactionid: 'c0e43e2c-75b8-4c7f-8826-b72945d89a9f',
  transactiontime: 1767844560000,
  referencenumber: 'FT26008507756020',
  amount: 150000,
  content: 'QR VQR1a2b3c4d5e DH12345 Ma giao dich Trace756759',
  bankaccount: '0123456789',
  transType: 'C',
  orderId: 'DH12345',
  sign: '',
  terminalCode: '',
  subTerminalCode: '',
  serviceCode: '',
  urlLink: 'https://shop.example.com/orders/DH12345',
};
