import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

const nested = (levels: number): unknown => JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));

describe('exceedsJsonDepth', () => {
  it('accepts scalars and ordinary bodies', () => {
    expect(exceedsJsonDepth(1)).toBe(false);
    expect(exceedsJsonDepth({ orderId: 'x', metadata: { cart: [{ sku: 'a', qty: 1 }] } })).toBe(false);
  });

  it('accepts exactly the limit and refuses one level more', () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('walks 100,000 levels of arrays without overflowing the stack', () => {
    expect(exceedsJsonDepth(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)))).toBe(true);
  });
});
