import { decodeCursor, encodeCursor, SEQUENCE_PATTERN, UUID_PATTERN } from './cursor.js';

describe('cursor', () => {
  it('gives back the key it wrapped', () => {
    expect(decodeCursor(encodeCursor(42), SEQUENCE_PATTERN)).toBe('42');
    const id = '0f3b68d4-7b76-4f3d-a3e0-2d9f16b7a9d1';
    expect(decodeCursor(encodeCursor(id), UUID_PATTERN)).toBe(id);
  });

  it('refuses a cursor it did not make, naming the field', () => {
    expect(() => decodeCursor('not-a-cursor', SEQUENCE_PATTERN)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: { fields: [expect.objectContaining({ field: 'cursor' })] },
      }),
    );
  });
});
