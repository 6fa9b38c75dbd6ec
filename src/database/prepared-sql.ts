import { createHash } from 'node:crypto';

// A statement marked here is prepared by name: PostgreSQL parses it once per connection and, after five
// runs, keeps one generic plan, instead of parsing and planning it on every call. On a credit, this took
// a fifth to a third off PostgreSQL's CPU (BENCHMARKS.md).
//
// Mark only a statement whose plan is the same whatever its values: an INSERT of VALUES, a write or a read by
// primary key, or a look-up whose WHERE makes exactly one index usable. A look-up whose best index depends on
// its values stays unmarked: under a generic plan, the ledger's holder look-up walked every ledger row of the
// account until its transactionid branch could use only its own index (HolderIndexPredicate), and a list's
// optional filters (`$2 IS NULL OR seq < $2`) reach no index. test/medium/prepared-statements.medium-spec.ts checks every
// marked statement's generic plan.
// A marked statement names its result columns (never a bare `SELECT *` or `RETURNING *` as its result):
// a migration adding a column would otherwise fail it with "cached plan must not change result type".
const names = new Map<string, string>();

// Marked statements are constants written in the repositories; a bound catches one built at run time.
const MAX_PREPARED = 64;

/** Marks `sql` to be prepared by name (see above) and returns it unchanged. */
export function prepared(sql: string): string {
  if (names.has(sql)) return sql;
  if (names.size >= MAX_PREPARED)
    throw new Error(`more than ${MAX_PREPARED} prepared statements: is one built at run time?`);
  names.set(sql, `vqg_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`);
  return sql;
}

/** The name `sql` is prepared under, or undefined when it is not marked. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}

/** Every marked statement (for the check of their generic plans). */
export function preparedStatements(): string[] {
  return [...names.keys()];
}
