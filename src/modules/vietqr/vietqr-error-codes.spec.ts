import { meaningOf, parseVietQrMessage } from './vietqr-error-codes.js';

describe('parseVietQrMessage', () => {
  it('reads a bare code and a code followed by what the partner said', () => {
    expect(parseVietQrMessage('E46')).toEqual({ code: 'E46', rest: '' });
    expect(parseVietQrMessage('E05 - {"error":true}')).toEqual({ code: 'E05', rest: '{"error":true}' });
    expect(parseVietQrMessage('E158')).toEqual({ code: 'E158', rest: '' });
  });

  it('reports no code for a message without one', () => {
    expect(parseVietQrMessage('Unexpected Error')).toEqual({ code: null, rest: 'Unexpected Error' });
  });
});

describe('meaningOf', () => {
  it("names the published meaning of VietQR's codes", () => {
    expect(meaningOf('E24')).toBe('No bank found for the given bankCode');
    expect(meaningOf('E46')).toBe('Invalid request body or parameter');
    expect(meaningOf('E999')).toBe('Error code not in the published table');
  });
});
