import { AppException } from '../../common/errors/app.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';

export class WebhookException extends AppException {}

export const endpointNotFound = () =>
  new WebhookException(ErrorCode.WebhookEndpointNotFound, 'No such webhook endpoint');
export const deliveryNotFound = () =>
  new WebhookException(ErrorCode.WebhookDeliveryNotFound, 'No such webhook delivery');
