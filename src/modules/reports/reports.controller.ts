import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../common/errors/api-errors.decorator.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { ApiClient } from '../auth/api-keys/api-client.js';
import { ApiKeyAuth, CurrentClient } from '../auth/api-keys/api-key.guard.js';
import { DailyStatementService } from './daily-statement.service.js';
import { DailyStatementDto } from './dto/daily-statement.dto.js';
import { DailyStatementQueryDto } from './dto/daily-statement.query.dto.js';

@ApiTags('reports')
@ApiKeyAuth('order_system', 'operator')
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly statements: DailyStatementService) {}

  @Get('daily')
  @ApiOperation({
    summary: 'Daily statement: the totals of one Vietnamese day, computed from the ledger',
    description:
      'Credits received (by our receipt time, days cut at midnight Asia/Ho_Chi_Minh) by outcome, refunds, net, ' +
      'how many arrived only through reconciliation, conflicts, debits, and the payments created that day by ' +
      "status. An operator gets the merchant's whole ledger; an order system its own payments' transfers. " +
      'format=csv gives the same figures as a spreadsheet (UTF-8 with BOM).',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: DailyStatementDto })
  @ApiErrors({
    code: ErrorCode.ValidationFailed,
    when: 'Bad date or format',
    message: 'date must be a date YYYY-MM-DD',
  })
  async daily(
    @CurrentClient() client: ApiClient,
    @Query() query: DailyStatementQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DailyStatementDto | string> {
    const statement = await this.statements.daily(client, query.date);
    if (query.format !== 'csv') return statement;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="statement-${query.date}.csv"`);
    return this.statements.toCsv(statement);
  }
}
