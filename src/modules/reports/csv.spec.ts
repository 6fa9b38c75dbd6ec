import { csvLine } from './csv.js';

describe('csvLine', () => {
  it('quotes what needs quoting and doubles quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', ' padded', null, 150000])).toBe(
      'a,"b,c","say ""hi""","two\nlines"," padded",,150000\r\n',
    );
  });

  it('keeps Vietnamese text as it is', () => {
    expect(csvLine(['Thanh toán đơn hàng'])).toBe('Thanh toán đơn hàng\r\n');
  });

  it('never lets a payer-written cell run as a formula', () => {
    expect(csvLine(['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)'])).toBe(
      `"'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1)\r\n`,
    );
    expect(csvLine([-2])).toBe('-2\r\n');
  });
});
