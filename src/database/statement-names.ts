import { createHash } from 'node:crypto';

// The service's statements are a fixed set of texts; naming each makes pg prepare it once per connection
// (Parse, and after a few runs a cached plan) instead of parsing and planning it on every call. PostgreSQL's
// own CPU is shared with the service's on a small machine, and a credit runs seven statements.
// The name is derived from the text, so one text always has one name and two texts never share one. Texts
// built at run time could be endless: past the bound, statements go unnamed (parsed each time, as before).
const MAX_NAMED = 1_000;
const names = new Map<string, string>();

export function statementName(sql: string): string | undefined {
  const known = names.get(sql);
  if (known !== undefined || names.size >= MAX_NAMED) return known;
  const name = `vqg_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
  names.set(sql, name);
  return name;
}
