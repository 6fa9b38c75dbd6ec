import { Injectable } from '@nestjs/common';
import { decodeCursor, UUID_PATTERN } from '../../common/http/cursor.js';
import { pageOf } from '../../common/http/page.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ListPaymentsQueryDto } from './dto/list-payments.query.dto.js';
import type { PaymentDetailDto, PaymentListDto } from './dto/payment.dto.js';
import { paymentNotFound } from './payment.exception.js';
import { PaymentMapper } from './payment.mapper.js';
import { PaymentQueriesRepository } from './payment-queries.repository.js';
import type { PaymentStatus } from './payment-status.js';

/** What order systems read about their payments. */
@Injectable()
export class PaymentQueriesService {
  constructor(
    private readonly queries: PaymentQueriesRepository,
    private readonly mapper: PaymentMapper,
  ) {}

  /** An order system reads its own payments; an operator any client's (to link review items to it). */
  async get(client: ApiClient, id: string): Promise<PaymentDetailDto> {
    const owner = client.role === 'operator' ? null : client.id;
    const detail = await this.queries.findDetail(id, owner);
    if (!detail) throw paymentNotFound(id);
    return this.mapper.toDetailDto(detail);
  }

  async list(client: ApiClient, query: ListPaymentsQueryDto): Promise<PaymentListDto> {
    const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, UUID_PATTERN);
    const filter = {
      orderId: query.orderId,
      status: query.status,
      createdFrom: query.createdFrom,
      createdTo: query.createdTo,
      afterId,
    };
    const { rows, nextCursor } = await pageOf(
      query.limit,
      (take) => this.queries.list(client.id, filter, take),
      (p) => p.id,
    );
    return { data: rows.map((p) => this.mapper.toDto(p)), nextCursor };
  }

  /** The stored QR payload to render and the payment's status now: undefined for no such payment. */
  async qrPayload(id: string): Promise<{ qrCode: string | null; status: PaymentStatus } | undefined> {
    return this.queries.findQrCode(id);
  }
}
