// A statement written with named parameters (:paymentId) and sent with pg's positional ones ($1). Names
// are checked against the values at every call, so a statement cannot silently bind the wrong value.
// `::type` casts are left alone.
const NAME = /(?<![:\w]):([A-Za-z_]\w*)/g;

export interface NamedSql<V extends object> {
  /** The SQL text with $1, $2, ... in place of the names. */
  readonly text: string;
  /** The positional parameters for `values`, in the order of `text`. */
  params(values: V): unknown[];
}

export function namedSql<V extends object>(sql: string): NamedSql<V> {
  const names: string[] = [];
  const text = sql.replace(NAME, (_, name: string) => {
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return {
    text,
    params(values: V): unknown[] {
      const record = values as Record<string, unknown>;
      return names.map((name) => {
        if (!(name in record)) throw new Error(`SQL parameter :${name} has no value`);
        return record[name];
      });
    },
  };
}
