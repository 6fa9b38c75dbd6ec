import { prepared } from './prepared-sql.js';

/**
 * A statement over rows of values: a batch of credits writes its ledger rows in one INSERT instead of one
 * each, so PostgreSQL parses, plans and executes once (BENCHMARKS.md). It comes in two texts from one
 * template, both prepared: `one`, whose rows are a `VALUES` of one row's values ($1 … $n), and `many`, an
 * `unnest` of one array per column. One row goes by `one`: its generic plan is the plan of a one-row
 * statement, where the `many` text's generic plan guesses ten rows and stays dearer than a custom plan for
 * one, so PostgreSQL would plan every lone row again. Rows keep their order (`ordinality`, their place).
 * A write is sent through writeRow (transaction.ts); on a Transaction, gathered (Transaction.gather).
 */
export interface RowStatement {
  readonly one: string;
  readonly many: string;
  readonly columns: number;
  /**
   * The column no two rows of one statement may share (an UPDATE … FROM the rows changes a row once, with
   * one of them): a row repeating a value starts the next statement, so the rows still run in order.
   */
  readonly distinct?: number;
}

/** What a template is given: `rows`, the FROM item of the rows; `all(c)`, column c of every row as an array. */
export interface RowsOf {
  rows: string;
  all: (column: string) => string;
}

/**
 * Declares a statement over rows whose columns are `columns` ([name, SQL type], in the order of a row's
 * values): `template` writes it around `rows`, a FROM item named `alias` with those columns and `ordinality`.
 */
export function rowStatement(
  alias: string,
  columns: ReadonlyArray<readonly [string, string]>,
  template: (of: RowsOf) => string,
  options: { distinct?: string } = {},
): RowStatement {
  const names = columns.map(([name]) => name);
  const position = (name: string) => {
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`a row statement over ${alias} has no column ${name}`);
    return index;
  };
  const typeOf = (name: string) => columns[position(name)][1];
  const header = `${alias}(${names.join(', ')}, ordinality)`;
  const many = template({
    rows: `unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) WITH ORDINALITY AS ${header}`,
    all: (name) => `$${position(name) + 1}::${typeOf(name)}[]`,
  });
  const one = template({
    rows: `(VALUES (${columns.map(([, type], i) => `$${i + 1}::${type}`).join(', ')}, 1::bigint)) AS ${header}`,
    all: (name) => `ARRAY[$${position(name) + 1}::${typeOf(name)}]`,
  });
  const distinct = options.distinct === undefined ? undefined : position(options.distinct);
  return { one: prepared(one), many: prepared(many), columns: columns.length, distinct };
}

/** The text and parameters for these rows (each an array of the statement's values, see checkRow). */
export function statementFor(statement: RowStatement, rows: unknown[][]): [string, unknown[]] {
  if (rows.length === 1) return [statement.one, rows[0]];
  return [statement.many, rowsAsColumns(rows)];
}

/** Throws unless `row` has a value for each of the statement's columns. */
export function checkRow(statement: RowStatement, row: unknown[]): void {
  if (row.length !== statement.columns)
    throw new Error(`a row of ${row.length} values for a statement of ${statement.columns} columns`);
}

/** Rows of values as one array per column. */
export function rowsAsColumns(rows: unknown[][]): unknown[][] {
  const columns = rows[0]?.length ?? 0;
  return Array.from({ length: columns }, (_, c) => rows.map((row) => row[c]));
}

/** The rows in order, cut where a row repeats a value of `statement.distinct` in its statement. */
export function statementsOf<R extends { values: unknown[] }>(statement: RowStatement, rows: R[]): R[][] {
  const { distinct } = statement;
  if (distinct === undefined) return [rows];
  const statements: R[][] = [];
  let current: R[] = [];
  let seen = new Set<unknown>();
  for (const row of rows) {
    const key = row.values[distinct];
    if (seen.has(key)) {
      statements.push(current);
      current = [];
      seen = new Set();
    }
    seen.add(key);
    current.push(row);
  }
  statements.push(current);
  return statements;
}
