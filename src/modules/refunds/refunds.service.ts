import { Injectable } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code.js';
import { decodeCursor, encodeCursor, SEQUENCE_PATTERN } from '../../common/http/cursor.js';
import { Database } from '../../database/database.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import type { CompleteRefundDto, FailRefundDto } from './dto/create-refund.dto.js';
import type { ListRefundsQueryDto } from './dto/list-refunds.query.dto.js';
import type { RefundDto, RefundListDto } from './dto/refund.dto.js';
import { isOperator } from './refund-creation.service.js';
import { RefundSettlementService } from './refund-settlement.service.js';
import { RefundException } from './refund.exception.js';
import { toRefundDto } from './refund.mapper.js';
import type { RefundRecord } from './refund.record.js';
import { RefundsRepository } from './refunds.repository.js';

const DEFAULT_LIMIT = 20;

/** Reading refunds, and the manual path: a person completes (or fails) a refund that needs one. */
@Injectable()
export class RefundsService {
  constructor(
    private readonly database: Database,
    private readonly refunds: RefundsRepository,
    private readonly settlement: RefundSettlementService,
  ) {}

  async get(client: ApiClient, id: string): Promise<RefundDto> {
    return toRefundDto(await this.visible(client, id));
  }

  async list(client: ApiClient, query: ListRefundsQueryDto): Promise<RefundListDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const beforeSeq = query.cursor ? Number(decodeCursor(query.cursor, SEQUENCE_PATTERN)) : undefined;
    const rows = await this.refunds.list(
      {
        clientId: isOperator(client) ? null : client.id,
        paymentId: query.paymentId,
        status: query.status,
        beforeSeq,
      },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    return {
      data: page.map(toRefundDto),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null,
    };
  }

  /** A person paid the payer by hand (or finished what VietQR could not): the refund SUCCEEDED. */
  async complete(client: ApiClient, id: string, dto: CompleteRefundDto): Promise<RefundDto> {
    await this.visible(client, id);
    const by = `client:${client.name}`;
    const result = await this.settlement.change(id, async (tx, refund) => {
      if (refund.status !== 'REQUIRES_ACTION') return false;
      await this.refunds.settleOpenParts(tx, id, 'succeeded', dto.reference);
      return { completion: { reference: dto.reference, note: dto.note ?? null, by } };
    });
    return this.answer(
      id,
      result,
      'completed',
      (r) => r.status === 'SUCCEEDED' && r.completedReference === dto.reference,
    );
  }

  /** A person decided the refund will not be made: FAILED, and what it had not paid is refundable again. */
  async fail(client: ApiClient, id: string, dto: FailRefundDto): Promise<RefundDto> {
    await this.visible(client, id);
    const by = `client:${client.name}`;
    const result = await this.settlement.change(id, async (tx, refund) => {
      if (refund.status !== 'REQUIRES_ACTION') return false;
      await this.refunds.settleOpenParts(tx, id, 'failed', null);
      return {
        failure: { code: 'CANCELLED_BY_OPERATOR', message: dto.reason ?? 'Failed by hand' },
        completion: { reference: null, note: dto.reason ?? null, by },
      };
    });
    return this.answer(
      id,
      result,
      'failed',
      (r) => r.status === 'FAILED' && r.failureCode === 'CANCELLED_BY_OPERATOR',
    );
  }

  private answer(
    id: string,
    result: { refund: RefundRecord; applied: boolean } | null,
    verb: string,
    alreadyDone: (r: RefundRecord) => boolean,
  ): RefundDto {
    if (!result) throw this.notFound(id);
    // Repeating the same request answers the refund as it left it.
    if (!result.applied && !alreadyDone(result.refund)) {
      throw new RefundException(
        ErrorCode.RefundNotActionable,
        `Refund ${id} is ${result.refund.status}; only a REQUIRES_ACTION refund can be ${verb} by hand`,
        { status: result.refund.status },
      );
    }
    return toRefundDto(result.refund);
  }

  /** The refund if this client may see it: its own, or any for an operator. */
  private async visible(client: ApiClient, id: string): Promise<RefundRecord> {
    const refund = await this.refunds.findById(this.database, id);
    if (
      !refund ||
      (!isOperator(client) && refund.clientId !== client.id && refund.createdByClientId !== client.id)
    ) {
      throw this.notFound(id);
    }
    return refund;
  }

  private notFound(id: string): RefundException {
    return new RefundException(ErrorCode.RefundNotFound, `Refund ${id} not found`);
  }
}
