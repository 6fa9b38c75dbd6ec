import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBodyDto } from './common/errors/error-body.js';

export const SECURITY = {
  apiKey: 'api-key',
  partnerBasic: 'vietqr-basic',
  partnerBearer: 'vietqr-bearer',
  sandboxBasic: 'sandbox-basic',
  sandboxBearer: 'sandbox-bearer',
} as const;

export const API_VERSION = '0.1.0';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('vietqr-gateway')
    .setDescription(
      'VietQR bank-transfer payments for merchants: order systems create payments and follow them; ' +
        'VietQR calls the partner endpoints to report bank transactions.',
    )
    .setVersion(API_VERSION)
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description:
          'Order-system API key: paste only the key, the part after "name:" (from `API_KEYS=dev:<key>`, paste ' +
          '`<key>`). Outside production the first start generates one, prints it and keeps it in ' +
          '`.data/generated-secrets.json` (API_KEYS); otherwise set API_KEYS or create one with ' +
          '`npm run cli -- api-keys create <name>`.',
      },
      SECURITY.apiKey,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description:
          'What VietQR sends to our token endpoint: username VIETQR_PARTNER_USERNAME (default `vietqr`), ' +
          'password VIETQR_PARTNER_PASSWORD (generated at the first start outside production, printed and kept ' +
          'in `.data/generated-secrets.json`).',
      },
      SECURITY.partnerBasic,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'What VietQR sends to transaction-sync: the `access_token` our token endpoint ({prefix}/api/token_generate, ' +
          'with the partner Basic pair) answered. Paste the token alone, without "Bearer".',
      },
      SECURITY.partnerBearer,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description:
          'Emulator only: username VIETQR_API_USERNAME (default `sandbox-merchant`), password VIETQR_API_PASSWORD ' +
          '(generated at the first start, printed and kept in `.data/generated-secrets.json`).',
      },
      SECURITY.sandboxBasic,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Emulator only: the `access_token` answered by POST /sandbox/vqr/api/token_generate (with the ' +
          'emulator Basic pair). Paste the token alone, without "Bearer".',
      },
      SECURITY.sandboxBearer,
    )
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto] });
}

export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
