import { PartnerErrorReason } from './partner-envelope.js';
import { parseDelivery } from './transaction-sync-body.js';

const vietqrBody = () => ({
  transactionid: 'c0e43e2c-75b8-4c7f-8826-b72945d89a9f',
  transactiontime: 1767844560000,
  referencenumber: 'FT26008507756020',
  amount: 150000,
  content: 'QR VQR1a2b3c4d5e DH12345 Ma giao dich Trace756759',
  bankaccount: '0123456789',
  transType: 'C',
  orderId: 'DH12345',
  sign: 'optional-merchant-value',
  terminalCode: '',
  subTerminalCode: '',
  serviceCode: '',
  urlLink: 'https://shop.example.com/orders/DH12345',
});

function accepted(body: unknown) {
  const result = parseDelivery(body);
  if (!result.ok) throw new Error(`rejected: ${result.message}`);
  return result.value;
}

function rejection(body: unknown) {
  const result = parseDelivery(body);
  if (result.ok) throw new Error('accepted');
  return { reason: result.reason, message: result.message };
}

describe('parseDelivery', () => {
  it('normalises the lower-case keys VietQR sends, empty optional strings becoming null', () => {
    expect(accepted(vietqrBody())).toEqual({
      reference: 'FT26008507756020',
      referenceKey: 'FT26008507756020',
      accountKey: '0123456789',
      referenceNumber: 'FT26008507756020',
      transactionId: 'c0e43e2c-75b8-4c7f-8826-b72945d89a9f',
      amount: 150000,
      content: 'QR VQR1a2b3c4d5e DH12345 Ma giao dich Trace756759',
      bankAccount: '0123456789',
      transType: 'C',
      transactionTime: new Date('2026-01-08T03:56:00Z'),
      orderId: 'DH12345',
      sign: 'optional-merchant-value',
      terminalCode: null,
      subTerminalCode: null,
      serviceCode: null,
      urlLink: 'https://shop.example.com/orders/DH12345',
    });
  });

  it('accepts the camelCase spellings of the English docs', () => {
    const value = accepted({
      transactionId: 'tx-1',
      transactionTime: 1767844560,
      referenceNumber: 'FT1',
      bankAccount: '0123456789',
      amount: 5000,
      content: 'x',
      transType: 'D',
    });
    expect(value).toMatchObject({
      reference: 'FT1',
      transactionId: 'tx-1',
      bankAccount: '0123456789',
      transType: 'D',
      transactionTime: new Date('2026-01-08T03:56:00Z'),
    });
  });

  it('ignores unknown keys and treats null or absent optional fields as not given', () => {
    const value = accepted({ ...vietqrBody(), orderId: null, sign: undefined, extra: { nested: [1] } });
    expect(value.orderId).toBeNull();
    expect(value.sign).toBeNull();
  });

  it.each([
    [150000, 150000],
    ['150000', 150000],
    [25000.0, 25000],
    ['25000.0', 25000],
    [10_000_000_000_000, 10_000_000_000_000],
  ])('reads amount %p as %p', (amount, expected) => {
    expect(accepted({ ...vietqrBody(), amount }).amount).toBe(expected);
  });

  it('falls back to transactionid as the reference when referencenumber is empty', () => {
    expect(accepted({ ...vietqrBody(), referencenumber: '' }).reference).toBe(
      'c0e43e2c-75b8-4c7f-8826-b72945d89a9f',
    );
  });

  it('normalises the key: account letters and digits only, references trimmed and upper-cased', () => {
    const value = accepted({
      ...vietqrBody(),
      bankaccount: ' 0123-456 789 ',
      referencenumber: ' ft26008507756020 ',
      transactionid: ' tx-9 ',
    });
    expect(value).toMatchObject({
      bankAccount: ' 0123-456 789 ',
      accountKey: '0123456789',
      reference: ' ft26008507756020 ',
      referenceKey: 'FT26008507756020',
      referenceNumber: ' ft26008507756020 ',
      transactionId: ' tx-9 ',
    });
    expect(rejection({ ...vietqrBody(), bankaccount: ' - ' }).reason).toBe(
      PartnerErrorReason.InvalidBankAccount,
    );
    expect(accepted({ ...vietqrBody(), referencenumber: '   ' })).toMatchObject({
      reference: 'c0e43e2c-75b8-4c7f-8826-b72945d89a9f',
      referenceKey: 'C0E43E2C-75B8-4C7F-8826-B72945D89A9F',
    });
  });

  it('records odd text as storable text: NUL and lone surrogates become U+FFFD, the rest is kept', () => {
    const value = accepted({
      ...vietqrBody(),
      content: 'a\u0000b\ud83dc\u0007\u200b\u202e',
      orderId: '\udc00x',
      sign: 'ok 😀',
    });
    expect(value.content).toBe('a\ufffdb\ufffdc\u0007\u200b\u202e');
    expect(value.orderId).toBe('\ufffdx');
    expect(value.sign).toBe('ok 😀');
  });

  it('keeps an empty content and stores an unreadable transactiontime as null', () => {
    const value = accepted({ ...vietqrBody(), content: '', transactiontime: 'yesterday' });
    expect(value.content).toBe('');
    expect(value.transactionTime).toBeNull();
  });

  it.each([
    ['a JSON array', [], PartnerErrorReason.InvalidBody],
    ['a string', 'hello', PartnerErrorReason.InvalidBody],
    ['null', null, PartnerErrorReason.InvalidBody],
  ])('refuses a body that is %s', (_label, body, reason) => {
    expect(rejection(body).reason).toBe(reason);
  });

  const without = (key: string) => {
    const body: Record<string, unknown> = vietqrBody();
    delete body[key];
    return body;
  };

  it.each([
    ['missing bankaccount', without('bankaccount'), PartnerErrorReason.InvalidBankAccount],
    ['missing amount', without('amount'), PartnerErrorReason.InvalidAmount],
    ['missing content', without('content'), PartnerErrorReason.InvalidContent],
    ['missing transType', without('transType'), PartnerErrorReason.InvalidTransType],
    [
      'no reference at all',
      { ...vietqrBody(), referencenumber: '', transactionid: null },
      PartnerErrorReason.InvalidReference,
    ],
    ['amount zero', { ...vietqrBody(), amount: 0 }, PartnerErrorReason.InvalidAmount],
    ['amount negative', { ...vietqrBody(), amount: -5 }, PartnerErrorReason.InvalidAmount],
    ['amount fractional', { ...vietqrBody(), amount: 100.5 }, PartnerErrorReason.InvalidAmount],
    ['amount fractional text', { ...vietqrBody(), amount: '100.5' }, PartnerErrorReason.InvalidAmount],
    ['amount not numeric', { ...vietqrBody(), amount: 'abc' }, PartnerErrorReason.InvalidAmount],
    ['amount a boolean', { ...vietqrBody(), amount: true }, PartnerErrorReason.InvalidAmount],
    ['amount above 10^13', { ...vietqrBody(), amount: 10_000_000_000_001 }, PartnerErrorReason.InvalidAmount],
    ['transType other than C/D', { ...vietqrBody(), transType: 'X' }, PartnerErrorReason.InvalidTransType],
    ['content too long', { ...vietqrBody(), content: 'x'.repeat(1001) }, PartnerErrorReason.InvalidContent],
    [
      'bankaccount too long',
      { ...vietqrBody(), bankaccount: '1'.repeat(65) },
      PartnerErrorReason.InvalidBankAccount,
    ],
    ['orderId an object', { ...vietqrBody(), orderId: { a: 1 } }, PartnerErrorReason.InvalidOptionalField],
    [
      'urlLink too long',
      { ...vietqrBody(), urlLink: 'u'.repeat(2049) },
      PartnerErrorReason.InvalidOptionalField,
    ],
  ])('refuses %s', (_label, body, reason) => {
    expect(rejection(body).reason).toBe(reason);
  });
});
