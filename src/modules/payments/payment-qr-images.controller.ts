import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';

const NOT_FOUND = [
  { code: ErrorCode.PaymentNotFound, when: 'No such payment' },
  { code: ErrorCode.PaymentQrNotFound, when: 'The payment has no QR yet' },
  {
    code: ErrorCode.PaymentNotPayable,
    when: 'The payment is CANCELLED, EXPIRED or PAID (PARTIALLY_PAID keeps its QR)',
  },
];
import { PaymentQrImagesService, QrImageFormat } from './payment-qr-images.service.js';
import { PaymentIdPipe } from './payment.exception.js';
import { ID_PARAM } from './payments.controller.js';

/**
 * QR images of a payment. No API key: the link is meant for the payer's browser (an <img> on a checkout
 * page); the payment id is an unguessable UUID and the image shows only what the payer is shown anyway.
 */
@ApiTags('payments')
@Controller('api/v1/payments')
export class PaymentQrImagesController {
  constructor(private readonly images: PaymentQrImagesService) {}

  @Get(':id/qr.png')
  @ApiOperation({ summary: "PNG image of the payment's QR (public: no API key)" })
  @ApiParam(ID_PARAM)
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'The QR image', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(...NOT_FOUND)
  async png(@Param('id', PaymentIdPipe) id: string): Promise<StreamableFile> {
    return this.image(id, 'png');
  }

  @Get(':id/qr.svg')
  @ApiOperation({ summary: "SVG image of the payment's QR (public: no API key)" })
  @ApiParam(ID_PARAM)
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The QR image', schema: { type: 'string' } })
  @ApiErrors(...NOT_FOUND)
  async svg(@Param('id', PaymentIdPipe) id: string): Promise<StreamableFile> {
    return this.image(id, 'svg');
  }

  private async image(id: string, format: QrImageFormat): Promise<StreamableFile> {
    const { contentType, body } = await this.images.render(id, format);
    return new StreamableFile(body, { type: contentType });
  }
}
