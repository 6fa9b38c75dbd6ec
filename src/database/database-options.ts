import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations.js';

export interface DatabaseOptionsInput {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  applicationName?: string;
}

/** One place that turns config into TypeORM options, for the app, the CLI and the tests alike. */
export function databaseOptions(input: DatabaseOptionsInput): DataSourceOptions {
  return {
    type: 'postgres',
    url: input.url,
    // No entities: repositories write their SQL (through database.ts); TypeORM keeps the pool and migrations.
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: input.poolSize,
      // A statement is sent without waiting for the answer to the one before (see transaction.ts);
      // TypeORM's own calls wait for each answer anyway, so for them nothing changes.
      pipeline: true,
      connectionTimeoutMillis: 5_000,
      statement_timeout: input.statementTimeoutMs,
      application_name: input.applicationName ?? 'vietqr-gateway',
    },
  };
}
