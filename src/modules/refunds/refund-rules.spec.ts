import { allocate, refundStatusOf, refusalOf, settleFromAmountRefunded } from './refund-rules.js';

const source = (transactionId: string, refundable: number) => ({
  transactionId,
  reference: `FT${transactionId}`,
  amount: refundable,
  refundable,
});

describe('refund rules', () => {
  describe(refundStatusOf.name, () => {
    it('is SUCCEEDED only when every part succeeded', () => {
      expect(refundStatusOf(['succeeded', 'succeeded'])).toBe('SUCCEEDED');
      expect(refundStatusOf(['succeeded', 'pending'])).toBe('PENDING');
    });
    it('puts a person first, then a lost answer, then work under way', () => {
      expect(refundStatusOf(['unknown', 'requires_action'])).toBe('REQUIRES_ACTION');
      expect(refundStatusOf(['unknown', 'sending'])).toBe('UNKNOWN');
      expect(refundStatusOf(['failed', 'sending'])).toBe('PENDING');
    });
    it('is FAILED when the parts ended and not all succeeded', () => {
      expect(refundStatusOf(['failed', 'failed'])).toBe('FAILED');
      expect(refundStatusOf(['succeeded', 'failed'])).toBe('FAILED');
    });
  });

  describe(refusalOf.name, () => {
    it('retries E158 after the lock, hands E42/E157/E216/E217 to a person, settles E05/E215 and no code', () => {
      expect(refusalOf('E158')).toBe('retry');
      for (const code of ['E42', 'E157', 'E216', 'E217']) expect(refusalOf(code)).toBe('manual');
      for (const code of ['E05', 'E215', null]) expect(refusalOf(code)).toBe('unknown');
      for (const code of ['E39', 'E44', 'E45', 'E43', 'E164']) expect(refusalOf(code)).toBe('failed');
    });
  });

  describe(allocate.name, () => {
    it('takes the transfers in the order given, each up to what is left of it', () => {
      const parts = allocate(100, [source('a', 60), source('b', 0), source('c', 70)]);
      expect(parts.map((p) => [p.source.transactionId, p.amount])).toEqual([
        ['a', 60],
        ['c', 40],
      ]);
    });
  });

  describe(settleFromAmountRefunded.name, () => {
    it('reads a lost answer from what VietQR refunded before and now', () => {
      expect(settleFromAmountRefunded(80, 30, 50)).toBe('succeeded');
      expect(settleFromAmountRefunded(30, 30, 50)).toBe('not_applied');
      expect(settleFromAmountRefunded(0, 0, 50)).toBe('not_applied');
      expect(settleFromAmountRefunded(50, 30, 50)).toBe('mismatch');
    });
  });
});
