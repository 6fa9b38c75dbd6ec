// Data source for the TypeORM CLI (npm run migration:*) and our CLI. DATABASE_URL set: that PostgreSQL;
// unset: the embedded database in DATA_DIR, which refuses while the service (or another CLI) holds it.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDotEnv } from '../config/dotenv.js';
import { databaseOptions } from './database-options.js';
import { DataDirLockedError } from './data-dir-lock.js';
import { EmbeddedDatabase, startEmbeddedDatabase } from './embedded-database.js';

async function cliDataSource(): Promise<DataSource> {
  loadDotEnv();
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    if (process.env.NODE_ENV === 'production') {
      process.stderr.write(
        'DATABASE_URL is required in production (the embedded database is for development)\n',
      );
      process.exit(1);
    }
    let embedded: EmbeddedDatabase;
    try {
      embedded = await startEmbeddedDatabase(process.env.DATA_DIR?.trim() || './.data', 2);
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    const dataSource = new DataSource(
      databaseOptions({
        url: embedded.url,
        poolSize: 2,
        statementTimeoutMs: 0,
        applicationName: 'vietqr-gateway-cli',
      }),
    );
    // Closing the data source (both CLIs do before they exit) also closes PGlite cleanly and frees DATA_DIR.
    const destroy = dataSource.destroy.bind(dataSource);
    dataSource.destroy = async () => {
      try {
        if (dataSource.isInitialized) await destroy();
      } finally {
        await embedded.close();
      }
    };
    return dataSource;
  }
  return new DataSource(
    databaseOptions({ url, poolSize: 2, statementTimeoutMs: 0, applicationName: 'vietqr-gateway-cli' }),
  );
}

export default await cliDataSource();
