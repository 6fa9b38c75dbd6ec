import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Swagger descriptions of the emulated VietQR API. The emulator reads bodies leniently, as VietQR's Jackson
// does, and answers bad ones with VietQR's E-codes, so these classes document and do not validate.

export class SandboxTokenDto {
  @ApiProperty({
    description: 'JWT (HS512) to send as Bearer',
    example: 'eyJhbGciOiJIUzUxMiJ9.eyJ1c2VyIjoi…',
  })
  access_token: string;

  @ApiProperty({ description: 'Always Bearer', example: 'Bearer' })
  token_type: string;

  @ApiProperty({ description: 'Lifetime in seconds', example: 300 })
  expires_in: number;
}

export class SandboxGenerateCustomerDto {
  @ApiProperty({ description: 'VietQR bank code or 6-digit BIN (unknown: E24)', example: 'MB' })
  bankCode: string;

  @ApiProperty({ description: 'Receiving account', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({ description: 'Account holder, no diacritics (upper-cased)', example: 'NGUYEN VAN A' })
  userBankName: string;

  @ApiProperty({
    description: 'Transfer note; MB: ≤ 19 letters/digits (E34), others ≤ 50 (E26)',
    example: 'PAY7K2M9Q4X1Z',
  })
  content: string;

  @ApiPropertyOptional({ description: '0 dynamic (default), 1 static; others E46', example: 0 })
  qrType?: number;

  @ApiPropertyOptional({ description: 'VND, required for qrType 0', example: 150000 })
  amount?: number;

  @ApiPropertyOptional({
    description: 'Required for qrType 0; MB: ≤ 13 characters',
    example: 'PAY7K2M9Q4X1Z',
  })
  orderId?: string;

  @ApiPropertyOptional({ description: 'C (default) or D', example: 'C' })
  transType?: string;

  @ApiPropertyOptional({ description: 'Required for qrType 1', example: 'STORE01' })
  terminalCode?: string;

  @ApiPropertyOptional({ description: 'Opaque, echoed in the callback', example: 'merchant-value' })
  sign?: string;

  @ApiPropertyOptional({ description: 'Echoed in the callback', example: 'https://shop.example.com/o/1' })
  urlLink?: string;

  @ApiPropertyOptional({ description: 'Free note (check-order shows it)', example: 'order 1' })
  note?: string;
}

export class SandboxGeneratedQrDto {
  @ApiProperty({ description: 'Bank code', example: 'MB' })
  bankCode: string;

  @ApiProperty({ description: 'Bank name', example: 'Ngân hàng TMCP Quân đội' })
  bankName: string;

  @ApiProperty({ description: 'Receiving account', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({ description: 'Upper-cased holder name', example: 'NGUYEN VAN A' })
  userBankName: string;

  @ApiProperty({ description: 'Amount as a string', example: '150000' })
  amount: string;

  @ApiProperty({ description: 'Final content: trace id + content', example: 'VQR1a2b3c4d5e PAY7K2M9Q4X1Z' })
  content: string;

  @ApiProperty({ description: 'NAPAS/EMVCo payload', example: '00020101021138540010A000000727…6304ABCD' })
  qrCode: string;

  @ApiProperty({ description: 'Bank logo image id', example: 'emu-970422' })
  imgId: string;

  @ApiProperty({ description: '1 = created', example: 1 })
  existing: number;

  @ApiProperty({ description: 'Always empty', example: '' })
  transactionId: string;

  @ApiProperty({ description: "Reference of VietQR's pending transaction", example: 'c2FuZGJveC1yZWY' })
  transactionRefId: string;

  @ApiProperty({ description: 'Hosted QR page', example: 'https://vietqr.vn/qr/security?publicRefId=…' })
  qrLink: string;

  @ApiProperty({ description: 'Echo', example: null, nullable: true, type: String })
  terminalCode: string | null;

  @ApiProperty({ description: 'Echo', example: '' })
  subTerminalCode: string;

  @ApiProperty({ description: 'Echo', example: '' })
  serviceCode: string;

  @ApiProperty({ description: 'Echo', example: 'PAY7K2M9Q4X1Z' })
  orderId: string;

  @ApiProperty({ description: 'Echo', example: [], type: 'array', items: { type: 'object' } })
  additionalData: unknown[];
}

export class SandboxTestCallbackDto {
  @ApiProperty({ description: 'Account of the QR (else E77)', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({ description: 'Content generate-customer returned', example: 'VQR1a2b3c4d5e PAY7K2M9Q4X1Z' })
  content: string;

  @ApiProperty({ description: 'VND; must equal the QR amount to match', example: 150000 })
  amount: number;

  @ApiProperty({ description: 'C or D', example: 'C' })
  transType: string;

  @ApiPropertyOptional({ description: 'Bank code (not read)', example: 'MB' })
  bankCode?: string;

  @ApiPropertyOptional({
    description:
      'Emulator only (VietQR has no such field): false records the transfer as paid but never calls the ' +
      'partner, as when a callback is lost; check-order then reports it. Default true.',
    example: true,
  })
  deliver?: boolean;
}

export class SandboxActionResultDto {
  @ApiProperty({ description: 'SUCCESS or FAILED', example: 'SUCCESS' })
  status: string;

  @ApiProperty({ description: 'Empty, or the E-code (E05 - <partner body>)', example: '' })
  message: string;
}

export class SandboxCheckOrderDto {
  @ApiProperty({ description: 'Your account (else E77)', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({ description: '0 by orderId, 1 by referenceNumber (else E95)', example: 0 })
  type: number;

  @ApiProperty({ description: 'orderId or referenceNumber', example: 'PAY7K2M9Q4X1Z' })
  value: string;

  @ApiProperty({ description: 'md5(bankAccount + username), lower-case hex (else E39)', example: '3f2a…' })
  checkSum: string;
}

export class SandboxCheckOrderItemDto {
  @ApiProperty({ description: 'Bank reference; empty while pending', example: 'sandbox-merchant-1f0c…' })
  referenceNumber: string;

  @ApiProperty({ description: 'orderId', example: 'PAY7K2M9Q4X1Z' })
  orderId: string;

  @ApiProperty({ description: 'VND', example: 150000 })
  amount: number;

  @ApiProperty({ description: 'Transfer content', example: 'VQR1a2b3c4d5e PAY7K2M9Q4X1Z' })
  content: string;

  @ApiProperty({ description: 'C or D', example: 'C' })
  transType: string;

  @ApiProperty({ description: '0 pending, 1 paid, 2 cancelled', example: 1 })
  status: number;

  @ApiProperty({ description: '0 dynamic, 1 static, 2 outside VietQR', example: 0 })
  type: number;

  @ApiProperty({ description: 'Epoch seconds', example: 1721372634 })
  timeCreated: number;

  @ApiProperty({ description: 'Epoch seconds; 0 while pending', example: 1721372700 })
  timePaid: number;

  @ApiProperty({ description: 'Terminal code', example: '' })
  terminalCode: string;

  @ApiProperty({ description: 'Note of the QR', example: '' })
  note: string;

  @ApiProperty({ description: 'Refunds so far', example: 0 })
  refundCount: number;

  @ApiProperty({ description: 'VND refunded', example: 0 })
  amountRefunded: number;
}

export class SandboxRefundDto {
  @ApiProperty({ description: 'Your account (else E77)', example: '0123456789' })
  bankAccount: string;

  @ApiProperty({ description: 'FT code of the paid transaction (else E44)', example: 'FT24201XXXXXXX' })
  referenceNumber: string;

  @ApiProperty({ description: 'VND as a string; at most what is left (else E45)', example: '50000' })
  amount: string;

  @ApiProperty({ description: 'Refund note', example: 'Hoan tien RF1A2B3C4D5E' })
  content: string;

  @ApiProperty({ description: 'md5(secretKey + referenceNumber + amount + bankAccount) (else E39)' })
  checkSum: string;

  @ApiPropertyOptional({ description: 'Allow later partial refunds; read on the first refund only' })
  multiTimes?: boolean;

  @ApiProperty({ description: 'Bank code', example: 'MB' })
  bankCode: string;
}

export class SandboxFailureDto {
  @ApiProperty({ description: 'Always FAILED', example: 'FAILED' })
  status: string;

  @ApiProperty({ description: 'VietQR error code', example: 'E46' })
  message: string;
}
