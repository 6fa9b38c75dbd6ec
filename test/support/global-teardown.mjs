import pg from 'pg';

export default async function globalTeardown() {
  const state = globalThis.__vqgTestDb;
  if (!state) return;
  if (state.kind === 'embedded') return state.close();
  if (process.env.KEEP_TEST_DATABASE) return;
  const admin = new pg.Client({ connectionString: state.server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${state.name} WITH (FORCE)`);
  await admin.end();
}
