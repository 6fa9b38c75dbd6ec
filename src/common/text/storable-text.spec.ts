import { findUnstorableText, hasUnstorableText, storableText } from './storable-text.js';

describe('storableText', () => {
  it.each([
    ['a lone high surrogate', 'a\ud83db', 'a\ufffdb'],
    ['a lone low surrogate', 'a\ude00b', 'a\ufffdb'],
    ['a reversed pair', '\ude00\ud83d', '\ufffd\ufffd'],
    ['NUL', 'a\u0000b', 'a\ufffdb'],
  ])('replaces %s with U+FFFD', (_, input, expected) => {
    expect(hasUnstorableText(input)).toBe(true);
    expect(storableText(input)).toBe(expected);
  });

  it.each([
    ['a surrogate pair', 'tiền 😀'],
    ['control characters', 'a\u0001\u001f\u007fb'],
    ['zero-width and bidi marks', 'a\u200b\u200d\u202e\u2066b'],
  ])('keeps %s as it is', (_, input) => {
    expect(hasUnstorableText(input)).toBe(false);
    expect(storableText(input)).toBe(input);
  });
});

describe('findUnstorableText', () => {
  it('names the path of the first bad key or value', () => {
    expect(findUnstorableText({ a: 'ok', b: { c: ['x', 'y\u0000'] } })).toBe('b.c[1]');
    expect(findUnstorableText({ meta: { 'k\ud800': 1 } })).toBe('meta.k\ud800');
    expect(findUnstorableText({ a: 'fine 😀', n: 1, z: null })).toBeNull();
  });
});
