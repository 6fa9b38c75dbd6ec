import { statementName } from './statement-names.js';

describe('statementName', () => {
  it('gives one text one name, and two texts two names', () => {
    const a = statementName('SELECT 1 AS spec_a');
    expect(a).toMatch(/^vqg_[0-9a-f]{24}$/);
    expect(statementName('SELECT 1 AS spec_a')).toBe(a);
    expect(statementName('SELECT 1 AS spec_b')).not.toBe(a);
  });

  it('leaves texts unnamed past its bound, and keeps the names it gave', () => {
    const kept = statementName('SELECT 2 AS spec_kept');
    for (let i = 0; i < 1_200; i++) statementName(`SELECT ${i} AS spec_many`);
    expect(statementName('SELECT 3 AS spec_new_after_bound')).toBeUndefined();
    expect(statementName('SELECT 2 AS spec_kept')).toBe(kept);
  });
});
