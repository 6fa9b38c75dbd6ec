import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppConfig } from '../../config/app-config.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { OPERATOR_EVENT_TYPES, type EventType } from '../outbox/outbox.types.js';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookEndpointDto,
  RotatedWebhookSecretDto,
  WebhookEndpointDto,
  WebhookEndpointPageDto,
  WebhookTestResultDto,
} from './dto/webhook-endpoint.dto.js';
import { decodeCursor, SEQUENCE_PATTERN } from '../../common/http/cursor.js';
import { pageOf } from '../../common/http/page.js';
import { WebhookEndpointRow, WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { endpointNotFound, WebhookException } from './webhook.exception.js';
import { WebhookSender } from './webhook-sender.js';
import { generateWebhookSecret } from './webhook-signing.js';
import { checkWebhookUrl, UrlPolicy, UrlRefusedError } from './webhook-url-policy.js';

export const MAX_ENDPOINTS_PER_CLIENT = 20;
const DEFAULT_GRACE_SECONDS = 86_400;
function toDto(row: WebhookEndpointRow): WebhookEndpointDto {
  const graceLive =
    row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt.getTime() > Date.now();
  return {
    id: row.id,
    url: row.url,
    events: row.events as EventType[],
    createdAt: row.createdAt.toISOString(),
    previousSecretExpiresAt: graceLive ? row.previousSecretExpiresAt!.toISOString() : null,
  };
}

@Injectable()
export class WebhookEndpointsService {
  private readonly policy: UrlPolicy;

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly sender: WebhookSender,
    config: AppConfig,
  ) {
    this.policy = {
      production: config.isProduction,
      allowPrivateTargets: config.webhooks.allowPrivateTargets,
    };
  }

  async create(client: ApiClient, input: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointDto> {
    const operatorOnly = (input.events ?? []).filter((e) => OPERATOR_EVENT_TYPES.includes(e));
    if (client.role !== 'operator' && operatorOnly.length > 0) {
      const problem = `${operatorOnly.join(', ')} can only be subscribed with an operator key`;
      throw new WebhookException(ErrorCode.ValidationFailed, problem, {
        fields: [{ field: 'events', problems: [problem] }],
      });
    }
    let url: URL;
    try {
      url = await checkWebhookUrl(input.url, this.policy);
    } catch (error) {
      if (error instanceof UrlRefusedError) {
        throw new WebhookException(ErrorCode.WebhookUrlRefused, error.message, { field: 'url' });
      }
      throw error;
    }
    const secret = generateWebhookSecret();
    const row = await this.endpoints.insertWithinLimit(
      client.id,
      url.toString(),
      input.events ?? [],
      secret,
      MAX_ENDPOINTS_PER_CLIENT,
    );
    if (!row) {
      throw new WebhookException(
        ErrorCode.WebhookEndpointLimitReached,
        `At most ${MAX_ENDPOINTS_PER_CLIENT} webhook endpoints per client; delete one first`,
      );
    }
    return { ...toDto(row), secret };
  }

  async list(client: ApiClient, limit?: number, cursor?: string): Promise<WebhookEndpointPageDto> {
    const after = cursor === undefined ? null : decodeCursor(cursor, SEQUENCE_PATTERN);
    const { rows, nextCursor } = await pageOf(
      limit,
      (take) => this.endpoints.listLiveByClient(client.id, take, after),
      (row) => row.seq,
    );
    return { data: rows.map(toDto), nextCursor };
  }

  async get(client: ApiClient, id: string): Promise<WebhookEndpointDto> {
    return toDto(await this.owned(client, id));
  }

  async delete(client: ApiClient, id: string): Promise<void> {
    if (!(await this.endpoints.softDeleteOwned(client.id, id))) throw endpointNotFound();
  }

  async rotateSecret(client: ApiClient, id: string, graceSeconds?: number): Promise<RotatedWebhookSecretDto> {
    const secret = generateWebhookSecret();
    const row = await this.endpoints.rotateSecretOwned(
      client.id,
      id,
      secret,
      graceSeconds ?? DEFAULT_GRACE_SECONDS,
    );
    if (!row) throw endpointNotFound();
    return { id: row.id, secret, previousSecretExpiresAt: toDto(row).previousSecretExpiresAt };
  }

  /** Sends a signed webhook.test message now and reports the attempt; nothing is stored or retried. */
  async test(client: ApiClient, id: string): Promise<WebhookTestResultDto> {
    const row = await this.owned(client, id);
    const messageId = `msg_${randomUUID()}`;
    const body = JSON.stringify({
      id: messageId,
      type: 'webhook.test',
      createdAt: new Date().toISOString(),
      data: { endpointId: row.id },
    });
    const graceLive = row.previousSecret && toDto(row).previousSecretExpiresAt !== null;
    const secrets = graceLive ? [row.secret, row.previousSecret!] : [row.secret];
    const result = await this.sender.send(row.url, { id: messageId, body, secrets });
    return { messageId, ...result };
  }

  private async owned(client: ApiClient, id: string): Promise<WebhookEndpointRow> {
    const row = await this.endpoints.findLiveOwned(client.id, id);
    if (!row) throw endpointNotFound();
    return row;
  }
}
