import { DynamicModule, Global, Module } from '@nestjs/common';
import { ErrorResponder } from '../common/errors/error-responder.js';
import { AppConfig } from './app-config.js';

/** Global singletons every module may use: the validated config and the error envelope registry. */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [{ provide: AppConfig, useValue: config }, ErrorResponder],
      exports: [AppConfig, ErrorResponder],
    };
  }
}
