import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

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
    // The app registers entities per module (autoLoadEntities); the CLI needs them for migration:generate.
    entities: [join(import.meta.dirname, '..', '**', '*.entity.{js,ts}')],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: input.poolSize,
      // A statement is sent without waiting for the answer to the one before (see database.ts);
      // TypeORM's own calls wait for each answer anyway, so for them nothing changes.
      pipeline: true,
      connectionTimeoutMillis: 5_000,
      statement_timeout: input.statementTimeoutMs,
      application_name: input.applicationName ?? 'vietqr-gateway',
    },
  };
}
