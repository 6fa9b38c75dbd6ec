import { checkRow, rowsAsColumns, rowStatement, statementFor, statementsOf } from './row-writes.js';

const rows = (...keys: string[]) => keys.map((k, i) => ({ values: [k, i] }));
const keysOf = (statements: Array<Array<{ values: unknown[] }>>) =>
  statements.map((s) => s.map((r) => r.values[0]));

describe('row statements', () => {
  const columns = [
    ['key', 'text'],
    ['n', 'int'],
  ] as const;
  let made = 0;
  const statement = (options: { distinct?: string } = {}) =>
    rowStatement(
      'r',
      columns,
      ({ rows, all }) => `SELECT * FROM ${rows} WHERE n = ANY(${all('n')}) /* ${made++} */`,
      options,
    );

  it('writes one template as a one-row VALUES and as an unnest of arrays, and picks by the number of rows', () => {
    const s = statement();
    expect(s.one).toMatch(
      /FROM \(VALUES \(\$1::text, \$2::int, 1::bigint\)\) AS r\(key, n, ordinality\) WHERE n = ANY\(ARRAY\[\$2::int\]\)/,
    );
    expect(s.many).toMatch(
      /FROM unnest\(\$1::text\[\], \$2::int\[\]\) WITH ORDINALITY AS r\(key, n, ordinality\) WHERE n = ANY\(\$2::int\[\]\)/,
    );
    expect(statementFor(s, [['a', 1]])).toEqual([s.one, ['a', 1]]);
    expect(
      statementFor(s, [
        ['a', 1],
        ['b', 2],
      ]),
    ).toEqual([
      s.many,
      [
        ['a', 'b'],
        [1, 2],
      ],
    ]);
    expect(() => checkRow(s, ['a'])).toThrow(/a row of 1 values for a statement of 2 columns/);
  });

  it('refuses a column the statement does not have', () => {
    expect(() => statement({ distinct: 'nope' })).toThrow(/no column nope/);
    expect(() => rowStatement('r', columns, ({ all }) => all('nope'))).toThrow(/no column nope/);
  });

  it('turns rows into one array per column', () => {
    expect(
      rowsAsColumns([
        ['a', 1, null],
        ['b', 2, new Date(0)],
      ]),
    ).toEqual([
      ['a', 'b'],
      [1, 2],
      [null, new Date(0)],
    ]);
    expect(rowsAsColumns([])).toEqual([]);
  });

  it('keeps every row in one statement when no column must be distinct', () => {
    expect(keysOf(statementsOf(statement(), rows('p', 'p', 'q')))).toEqual([['p', 'p', 'q']]);
  });

  it('starts the next statement where a row repeats the distinct column, keeping the order', () => {
    const s = statement({ distinct: 'key' });
    expect(keysOf(statementsOf(s, rows('p', 'q', 'p', 'r', 'q', 'q')))).toEqual([
      ['p', 'q'],
      ['p', 'r', 'q'],
      ['q'],
    ]);
    expect(keysOf(statementsOf(s, rows('p', 'q', 'r')))).toEqual([['p', 'q', 'r']]);
  });
});
