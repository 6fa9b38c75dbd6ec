import { buildNapasPayload, crc16CcittFalse } from './napas-payload.js';

// The published payloads of the VietQR spec (vietqr-api.md §7.3), reproduced byte for byte.
describe('buildNapasPayload', () => {
  it('reproduces the VietQR.io sample (VietinBank, amount, purpose)', () => {
    expect(
      buildNapasPayload({
        bankBin: '970415',
        accountNumber: '113366668888',
        amount: 79000,
        purpose: 'Ung Ho Quy Vac Xin',
      }),
    ).toBe(
      '00020101021238560010A0000007270126000697041501121133666688880208QRIBFTTA53037045405790005802VN62220818Ung Ho Quy Vac Xin63043ACF',
    );
  });

  it('reproduces the vietnam-qr-pay sample (ACB, amount, purpose)', () => {
    expect(
      buildNapasPayload({
        bankBin: '970416',
        accountNumber: '257678859',
        amount: 1000,
        purpose: 'Chuyen tien',
      }),
    ).toBe(
      '00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8',
    );
  });

  it('reproduces the static sample (Techcombank, no amount, no purpose)', () => {
    expect(buildNapasPayload({ bankBin: '970407', accountNumber: '19030413601018' })).toBe(
      '00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283',
    );
  });

  it("reproduces VietQR's own generate-customer sample, which says static (11) despite its amount", () => {
    expect(
      buildNapasPayload({
        bankBin: '970422',
        accountNumber: '0123456789',
        amount: 150000,
        purpose: 'VQR1a2b3c4d5e DH12345',
        pointOfInitiation: '11',
      }),
    ).toBe(
      '00020101021138540010A00000072701240006970422011001234567890208QRIBFTTA530370454061500005802VN62250821VQR1a2b3c4d5e DH1234563040577',
    );
  });

  it('refuses content that is not ASCII', () => {
    expect(() =>
      buildNapasPayload({ bankBin: '970422', accountNumber: '1', amount: 1, purpose: 'Chuyển' }),
    ).toThrow(/ASCII/);
  });
});

describe('crc16CcittFalse', () => {
  it('matches the CRC-16/CCITT-FALSE check value', () => {
    expect(crc16CcittFalse('123456789')).toBe('29B1');
  });
});
