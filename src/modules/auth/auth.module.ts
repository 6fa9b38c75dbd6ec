import { Module } from '@nestjs/common';
import { ApiClientsRepository } from './api-keys/api-clients.repository.js';
import { ApiKeyGuard } from './api-keys/api-key.guard.js';
import { ApiKeysService } from './api-keys/api-keys.service.js';

@Module({
  providers: [ApiClientsRepository, ApiKeysService, ApiKeyGuard],
  exports: [ApiKeysService, ApiKeyGuard],
})
export class AuthModule {}
