import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { ErrorCode } from '../../common/errors/error-code.js';
import { paymentNotFound, PaymentException } from './payment.exception.js';
import type { PaymentStatus } from './payment-status.js';
import { PaymentQueriesService } from './payment-queries.service.js';

export type QrImageFormat = 'png' | 'svg';

const CONTENT_TYPES: Record<QrImageFormat, string> = { png: 'image/png', svg: 'image/svg+xml' };
// A payment's QR never changes once stored, so rendered images are kept (bounded) across requests; whether
// it may still be paid is asked every time.
const CACHE_MAX = 500;
// Passed through to pngjs: one fixed PNG filter ("up": QR rows repeat) instead of trying all five on every
// row, several times faster for a still small image. (Not in qrcode's typings, hence no literal.)
const PNG_RENDERER = { deflateLevel: 9, filterType: 2 };

const DEAD = new Set<PaymentStatus>(['CANCELLED', 'EXPIRED', 'PAID']);

/** A QR payload as an image; also used by the checkout page for the amount still due. */
export async function renderQrImage(payload: string, format: QrImageFormat): Promise<Buffer> {
  const options = { errorCorrectionLevel: 'M' as const, margin: 2 };
  return format === 'png'
    ? QRCode.toBuffer(payload, { ...options, type: 'png', width: 400, rendererOpts: PNG_RENDERER })
    : Buffer.from(await QRCode.toString(payload, { ...options, type: 'svg' }), 'utf8');
}

@Injectable()
export class PaymentQrImagesService {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly payments: PaymentQueriesService) {}

  async render(id: string, format: QrImageFormat): Promise<{ contentType: string; body: Buffer }> {
    const found = await this.payments.qrPayload(id);
    if (found === undefined) {
      throw paymentNotFound(id);
    }
    // A dead payment's QR would invite a payer to pay an order that is over (PARTIALLY_PAID keeps its QR).
    if (DEAD.has(found.status)) {
      throw new PaymentException(
        ErrorCode.PaymentNotPayable,
        `Payment ${id} is ${found.status}: its QR is no longer payable`,
        { status: found.status },
      );
    }
    const payload = found.qrCode;
    if (payload === null) {
      throw new PaymentException(ErrorCode.PaymentQrNotFound, `Payment ${id} has no QR yet`);
    }
    const cacheKey = `${format}:${id}`;
    let body = this.cache.get(cacheKey);
    if (!body) {
      body = await renderQrImage(payload, format);
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(cacheKey, body);
    }
    return { contentType: CONTENT_TYPES[format], body };
  }
}
