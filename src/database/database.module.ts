import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { databaseOptions } from './database-options.js';
import { runMigrationsLocked } from './migrate.js';
import { Database, PREPARED_STATEMENTS } from './database.js';

@Module({})
export class DatabaseModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [Database, { provide: PREPARED_STATEMENTS, useValue: config.database.preparedStatements }],
      exports: [Database],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...databaseOptions({
              url: config.database.url!,
              poolSize: config.database.poolSize,
              statementTimeoutMs: config.database.statementTimeoutMs,
            }),
            // Fail start-up fast instead of TypeORM's default of retrying for half a minute.
            retryAttempts: 2,
            retryDelay: 1_000,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            if (config.database.migrationsRun) {
              const applied = await runMigrationsLocked(dataSource);
              if (applied.length > 0) new Logger('Database').log(`Applied migrations: ${applied.join(', ')}`);
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
