import { findTraceId, toBankName } from './vietqr-text.js';

describe('toBankName', () => {
  it('upper-cases and strips Vietnamese diacritics, đ included', () => {
    expect(toBankName('Nguyễn  Văn Đức')).toBe('NGUYEN VAN DUC');
    expect(toBankName('Công ty TNHH Ánh Dương')).toBe('CONG TY TNHH ANH DUONG');
  });
});

describe('findTraceId', () => {
  it('finds the VQR trace id VietQR put in front of the content', () => {
    expect(findTraceId('VQR1a2b3c4d5e PAY7K2M9Q4X1Z')).toBe('VQR1a2b3c4d5e');
  });

  it('finds it inside a bank-rewritten content, with dots or dashes, or split across two tokens', () => {
    expect(findTraceId('QR VQR712a7d45ea DU5gUz Ma giao dich Trace756759')).toBe('VQR712a7d45ea');
    expect(findTraceId('CT DEN:123-VQR1a2b3c4d5e.PAY1')).toBe('VQR1a2b3c4d5e');
    expect(findTraceId('QR VQR1a2b3 c4d5e PAY1')).toBe('VQR1a2b3c4d5e');
  });

  it('is case-sensitive on the prefix and answers null without one', () => {
    expect(findTraceId('vqr1a2b3c4d5e PAY1')).toBeNull();
    expect(findTraceId('CHUYEN TIEN')).toBeNull();
  });
});
