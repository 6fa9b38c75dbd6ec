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
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Order-system API key' },
      SECURITY.apiKey,
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'Credentials VietQR uses on our token endpoint' },
      SECURITY.partnerBasic,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Token issued by our token endpoint to VietQR',
      },
      SECURITY.partnerBearer,
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'VIETQR_API_USERNAME/PASSWORD on the VietQR emulator' },
      SECURITY.sandboxBasic,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Token of the VietQR emulator' },
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
