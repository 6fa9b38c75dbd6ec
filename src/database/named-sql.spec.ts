import { namedSql } from './named-sql.js';

describe(namedSql.name, () => {
  it('numbers each name once, in order of first use, and leaves casts alone', () => {
    const sql = namedSql<{ id: string; at: Date }>(
      `UPDATE t SET seen = :at::timestamptz WHERE id = :id AND (:at)::date > '2020-01-01 10:00'::date`,
    );
    expect(sql.text).toBe(
      `UPDATE t SET seen = $1::timestamptz WHERE id = $2 AND ($1)::date > '2020-01-01 10:00'::date`,
    );
    const at = new Date(0);
    expect(sql.params({ id: 'a', at })).toEqual([at, 'a']);
  });

  it('refuses values that lack a name the statement uses', () => {
    const sql = namedSql<{ id: string }>(`SELECT :id, :missing`);
    expect(() => sql.params({ id: 'a' })).toThrow(':missing has no value');
  });
});
