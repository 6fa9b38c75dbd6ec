import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppException } from '../../../common/errors/app.exception.js';
import { ApiErrors } from '../../../common/errors/api-errors.decorator.js';
import { SECURITY } from '../../../swagger.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { ApiClient } from './api-client.js';
import { ApiKeysService } from './api-keys.service.js';

type WithClient = FastifyRequest & { apiClient?: ApiClient };

/** Order-system routes: a valid X-API-Key header, else 401. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WithClient>();
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new AppException(ErrorCode.Unauthorized, 'Missing X-API-Key header');
    if (key.length > 200) throw new AppException(ErrorCode.Unauthorized, 'Unknown or revoked API key');
    const client = await this.apiKeys.authenticate(key);
    if (!client) {
      // API_KEYS is printed as name:key; pasting the whole pair is the usual first mistake.
      const hint = /^[A-Za-z0-9_.-]{1,64}:/.test(key) ? '; send only the key, the part after "name:"' : '';
      throw new AppException(ErrorCode.Unauthorized, `Unknown or revoked API key${hint}`);
    }
    request.apiClient = client;
    return true;
  }
}

/** The client authenticated by ApiKeyGuard. */
export const CurrentClient = createParamDecorator((_: unknown, context: ExecutionContext): ApiClient => {
  const client = context.switchToHttp().getRequest<WithClient>().apiClient;
  if (!client) throw new AppException(ErrorCode.Unauthorized, 'Not authenticated');
  return client;
});

/** An order-system route or controller: the X-API-Key guard, its Swagger security scheme and its 401. */
export const ApiKeyAuth = () =>
  applyDecorators(
    UseGuards(ApiKeyGuard),
    ApiSecurity(SECURITY.apiKey),
    ApiErrors({ code: ErrorCode.Unauthorized, when: 'Missing, unknown or revoked X-API-Key' }),
  );
