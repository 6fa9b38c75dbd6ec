import { buildNapasPayload, crc16CcittFalse } from '../qr-orders/napas-payload.js';
import { payloadForAmount } from './napas-amount.js';

// VietQR.io's published sample (vietqr-api.md §7.3): 970415 / 113366668888 / 79000 / "Ung Ho Quy Vac Xin".
const SAMPLE =
  '00020101021238560010A0000007270126000697041501121133666688880208QRIBFTTA53037045405790005802VN62220818Ung Ho Quy Vac Xin63043ACF';

describe('payloadForAmount', () => {
  it('rewrites the amount and the CRC and keeps every other field', () => {
    const rest = payloadForAmount(SAMPLE, 29000)!;
    expect(rest).toBe(
      buildNapasPayload({
        bankBin: '970415',
        accountNumber: '113366668888',
        amount: 29000,
        purpose: 'Ung Ho Quy Vac Xin',
        pointOfInitiation: '12',
      }),
    );
    expect(rest).toContain('540529000');
    expect(rest.slice(-4)).toBe(crc16CcittFalse(rest.slice(0, -4)));
  });

  it('gives back the published payload for its own amount', () => {
    expect(payloadForAmount(SAMPLE, 79000)).toBe(SAMPLE);
  });

  it('adds an amount to a static payload after the currency', () => {
    const stat =
      '00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283';
    const withAmount = payloadForAmount(stat, 5000)!;
    expect(withAmount).toContain('5303704540450005802VN');
  });

  it('refuses what is not a TLV list or not a payable amount', () => {
    expect(payloadForAmount('hello', 1000)).toBeNull();
    expect(payloadForAmount('0002', 1000)).toBeNull();
    expect(payloadForAmount(SAMPLE, 0)).toBeNull();
    expect(payloadForAmount(SAMPLE, 1.5)).toBeNull();
    expect(payloadForAmount(SAMPLE, 1e14)).toBeNull();
  });
});
