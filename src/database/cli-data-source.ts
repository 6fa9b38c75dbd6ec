// Data source for the TypeORM CLI (npm run migration:*). DATABASE_URL set: that PostgreSQL; unset: the
// embedded database in DATA_DIR (stop the service first: one process at a time may open that directory).
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database-options.js';
import { startEmbeddedDatabase } from './embedded-database.js';

async function cliDataSource(): Promise<DataSource> {
  let url = process.env.DATABASE_URL?.trim();
  if (!url) {
    if (process.env.NODE_ENV === 'production') throw new Error('DATABASE_URL is required in production');
    const embedded = await startEmbeddedDatabase(process.env.DATA_DIR?.trim() || './.data', 2);
    process.once('exit', () => void embedded.close());
    url = embedded.url;
  }
  return new DataSource(
    databaseOptions({ url, poolSize: 2, statementTimeoutMs: 0, applicationName: 'vietqr-gateway-cli' }),
  );
}

export default await cliDataSource();
