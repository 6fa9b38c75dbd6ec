import { Module } from '@nestjs/common';
import { HttpMetricsService } from './http-metrics.service.js';
import { MetricsController } from './metrics.controller.js';

@Module({
  controllers: [MetricsController],
  providers: [HttpMetricsService],
  exports: [HttpMetricsService],
})
export class MetricsModule {}
