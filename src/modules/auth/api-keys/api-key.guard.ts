import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthException } from '../auth.exception.js';
import { ApiErrors } from '../../../common/errors/api-errors.decorator.js';
import { SECURITY } from '../../../swagger.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { ApiClient, ApiRole } from './api-client.js';
import { ApiKeysService } from './api-keys.service.js';

type WithClient = FastifyRequest & { apiClient?: ApiClient };

const ROLES_KEY = 'vqg:api-key-roles';

const spell = (role: ApiRole) => `an ${role.replace('_', '-')} key`;
const forbiddenMessage = (allowed: ApiRole[], actual: ApiRole) =>
  `This route needs ${allowed.map(spell).join(' or ')}; this key is ${spell(actual)}`;

/** A valid X-API-Key header (else 401) whose role the route accepts (else 403 FORBIDDEN). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WithClient>();
    const header = request.headers['x-api-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new AuthException(ErrorCode.Unauthorized, 'Missing X-API-Key header');
    if (key.length > 200) throw new AuthException(ErrorCode.Unauthorized, 'Unknown or revoked API key');
    const client = await this.apiKeys.authenticate(key);
    if (!client) {
      // API_KEYS is printed as name:key; pasting the whole pair is the usual first mistake.
      const hint = /^[A-Za-z0-9_.-]{1,64}:/.test(key) ? '; send only the key, the part after "name:"' : '';
      throw new AuthException(ErrorCode.Unauthorized, `Unknown or revoked API key${hint}`);
    }
    const roles = this.reflector.getAllAndOverride<ApiRole[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]) ?? ['order_system'];
    if (!roles.includes(client.role)) {
      throw new AuthException(ErrorCode.Forbidden, forbiddenMessage(roles, client.role), {
        role: client.role,
        allowedRoles: roles,
      });
    }
    request.apiClient = client;
    return true;
  }
}

/** The client authenticated by ApiKeyGuard; `client.role` says which role called. */
export const CurrentClient = createParamDecorator((_: unknown, context: ExecutionContext): ApiClient => {
  const client = context.switchToHttp().getRequest<WithClient>().apiClient;
  if (!client) throw new AuthException(ErrorCode.Unauthorized, 'Not authenticated');
  return client;
});

/**
 * X-API-Key auth for a controller or a route, with the roles it accepts:
 *   @ApiKeyAuth()                            order systems only (the default: every route before roles)
 *   @ApiKeyAuth('operator')                  operators only (the review queue)
 *   @ApiKeyAuth('order_system', 'operator')  both; read `@CurrentClient() client` and `client.role`
 * Put it once per route: on the controller, or on each method (a method's roles override the class's, but
 * two would run the guard twice). A key of another role gets 403 FORBIDDEN in the API's error body.
 * Swagger shows the roles in the route's description of 403 and as x-api-key-roles.
 */
export const ApiKeyAuth = (...roles: ApiRole[]) => {
  const accepted: ApiRole[] = roles.length > 0 ? roles : ['order_system'];
  return applyDecorators(
    SetMetadata(ROLES_KEY, accepted),
    UseGuards(ApiKeyGuard),
    ApiSecurity(SECURITY.apiKey),
    ApiExtension('x-api-key-roles', accepted),
    ApiErrors(
      { code: ErrorCode.Unauthorized, when: 'Missing, unknown or revoked X-API-Key' },
      {
        code: ErrorCode.Forbidden,
        when: `The key's role is not ${accepted.join(' or ')} (role needed: ${accepted.join(' or ')})`,
        message: forbiddenMessage(accepted, accepted.includes('operator') ? 'order_system' : 'operator'),
        details: {
          role: accepted.includes('operator') ? 'order_system' : 'operator',
          allowedRoles: accepted,
        },
      },
    ),
  );
};
