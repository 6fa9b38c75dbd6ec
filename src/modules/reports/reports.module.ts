import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DailyStatementService } from './daily-statement.service.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';

/** Read-only views for accountants: the daily statement and the streamed exports. Depends on no feature module. */
@Module({
  imports: [AuthModule],
  controllers: [ReportsController, ExportsController],
  providers: [ReportsRepository, DailyStatementService, ExportsService],
})
export class ReportsModule {}
