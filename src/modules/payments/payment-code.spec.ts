import { contentCandidates, newPaymentCode, normaliseContent } from './payment-code.js';

// How transfer contents arrive after the banks in between have had them (shared transfer-content fixtures).
// VietQR's own parser needs an upper-case "VQR"; ours is case-insensitive, so the lower-cased case matches.
const CASES: Array<{ arrived: string; traceId: string | null; code: string | null; note: string }> = [
  { arrived: 'VQR1a2b3c4d5e PAY7K2M9Q', traceId: 'VQR1A2B3C4D5E', code: null, note: 'unchanged' },
  {
    arrived: 'QR VQR712a7d45ea DU5gUz Ma giao dich Trace756759 Trace 756759',
    traceId: 'VQR712A7D45EA',
    code: null,
    note: "prefix 'QR' and a bank trace suffix",
  },
  {
    arrived: 'VQR26044A5CCKYZA THANH TOAN HOA DON',
    traceId: 'VQR26044A5CCK',
    code: null,
    note: 'characters glued after the id',
  },
  {
    arrived: 'MBVCB.3278245567.VQR9f8e7d6c5b PAYX1.CT tu 0123456789 NGUYEN VAN B toi 0987654321',
    traceId: 'VQR9F8E7D6C5B',
    code: null,
    note: 'interbank prefix with dots',
  },
  { arrived: 'IBFT VQRab12c d34ef PAY55', traceId: 'VQRAB12CD34EF', code: null, note: 'id split in two' },
  { arrived: 'VQR0011-223344-PAYQ9', traceId: 'VQR0011223344', code: null, note: 'dashes inserted' },
  { arrived: 'chuyen khoan tien hang', traceId: null, code: null, note: 'payer typed their own text' },
  {
    arrived: 'vqraabbccddee paym3',
    traceId: 'VQRAABBCCDDEE',
    code: null,
    note: 'lower-cased by a bank: VietQR misses it, we do not',
  },
  {
    arrived: 'VQR5a6b7c8d9e PAY7K2M-9Q4X.1Z Ma GD 1234',
    traceId: 'VQR5A6B7C8D9E',
    code: 'PAY7K2M9Q4X1Z',
    note: 'our payment code with separators inserted',
  },
  { arrived: 'thanh toan pay7k2m9q4x1z', traceId: null, code: 'PAY7K2M9Q4X1Z', note: 'lower-cased code' },
];

describe('contentCandidates', () => {
  it.each(CASES)('recovers the trace id and payment code: $note', ({ arrived, traceId, code }) => {
    const candidates = contentCandidates(arrived);
    if (traceId) expect(candidates[0]).toBe(traceId);
    else expect(candidates.filter((c) => c.startsWith('VQR'))).toEqual([]);
    if (code) expect(candidates).toContain(code);
  });

  it('finds nothing in an empty content', () => {
    expect(contentCandidates('')).toEqual([]);
  });

  it('keeps a token that a glued prefix overlaps', () => {
    expect(contentCandidates('XPAYPAYABCDEFGHIJ')).toContain('PAYABCDEFGHIJ');
  });

  it('bounds the number of candidates of a hostile content', () => {
    expect(contentCandidates('VQR'.repeat(500) + '0123456789').length).toBeLessThanOrEqual(16);
  });
});

describe('normaliseContent', () => {
  it('upper-cases and drops everything but letters and digits', () => {
    expect(normaliseContent('a.b-c d_e/f:1')).toBe('ABCDEF1');
  });
});

describe('newPaymentCode', () => {
  it('makes 13-character A-Z0-9 codes starting with PAY, all different', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newPaymentCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^PAY[A-Z0-9]{10}$/);
  });
});
