import type { DataSource } from 'typeorm';

/**
 * A fault in one row of a batch: a trigger that makes inserts into `table` fail when `column` starts with
 * `prefix`. remove() drops it (the fault is gone); it is idempotent.
 */
export async function poisonInserts(db: DataSource, table: string, column: string, prefix: string) {
  const name = `test_poison_${table}`;
  await db.query(`
    CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.${column} LIKE '${prefix}%' THEN RAISE EXCEPTION 'poisoned row %', NEW.${column}; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}();`);
  return {
    remove: () => db.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}; DROP FUNCTION IF EXISTS ${name}();`),
  };
}
