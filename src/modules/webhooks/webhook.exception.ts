import { ModuleException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';

export type WebhookErrorCode =
  | ErrorCode.WebhookEndpointNotFound
  | ErrorCode.WebhookDeliveryNotFound
  | ErrorCode.WebhookUrlRefused
  | ErrorCode.WebhookEndpointLimitReached
  | ErrorCode.WebhookDeliveryInProgress
  | ErrorCode.ValidationFailed;

export class WebhookException extends ModuleException<WebhookErrorCode> {}

export const endpointNotFound = () =>
  new WebhookException(ErrorCode.WebhookEndpointNotFound, 'No such webhook endpoint');
export const deliveryNotFound = () =>
  new WebhookException(ErrorCode.WebhookDeliveryNotFound, 'No such webhook delivery');

/** The :id of an endpoint route: a UUID, else WEBHOOK_ENDPOINT_NOT_FOUND. */
export const WebhookEndpointIdPipe = new UuidParamPipe(endpointNotFound);
/** The :id of a delivery route: a UUID, else WEBHOOK_DELIVERY_NOT_FOUND. */
export const WebhookDeliveryIdPipe = new UuidParamPipe(deliveryNotFound);
