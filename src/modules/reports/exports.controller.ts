import type { Readable } from 'node:stream';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { ExportQueryDto, PaymentExportQueryDto } from './dto/export.query.dto.js';
import { ExportFile, ExportsService } from './exports.service.js';

const STREAMED =
  'Streamed as it is read (constant memory, first rows at once), oldest first. CSV: UTF-8 with a byte-order ' +
  'mark and a header row, times in Vietnam (+07:00); jsonl: one JSON object per line. A failure part-way ' +
  'cuts the connection, so a partial file never looks complete.';

const ERRORS = [
  {
    code: ErrorCode.ValidationFailed,
    when: 'Bad from, to, format or status',
    message: 'from must be a date',
  },
  { code: ErrorCode.TooManyRequests, when: 'Two exports already run on this instance' },
];

function send(reply: FastifyReply, file: ExportFile): Readable {
  void reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'no-store');
  return file.stream;
}

@ApiTags('reports')
@Controller('api/v1')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('transactions/export')
  @ApiKeyAuth('operator')
  @ApiOperation({
    summary: 'Export the bank-transaction ledger (operator)',
    description:
      'Every transaction received in [from, to): received time and bank time (a transfer late at night is ' +
      'booked the next day: booked_on), reference, account, amount, direction, content, outcome, how it ' +
      `arrived (callback, reconcile, manual), payment id, order id, payment status. ${STREAMED}`,
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string' } })
  @ApiErrors(...ERRORS)
  async transactions(
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    return send(reply, await this.exports.transactions(query));
  }

  @Get('payments/export')
  @ApiKeyAuth('order_system', 'operator')
  @ApiOperation({
    summary: "Export payments (an order system's own; an operator's: everyone's)",
    description: `Payments created in [from, to), optionally of one status. ${STREAMED}`,
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string' } })
  @ApiErrors(...ERRORS)
  async payments(
    @CurrentClient() client: ApiClient,
    @Query() query: PaymentExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    return send(reply, await this.exports.payments(client, query));
  }
}
