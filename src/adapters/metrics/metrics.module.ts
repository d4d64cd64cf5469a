// Operators' metrics endpoint, fed by the use cases and ports the core module exports.
import { Module } from '@nestjs/common';
import { DatabasePoolMetrics } from './database-pool.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({
  controllers: [MetricsController],
  providers: [MetricsService, DatabasePoolMetrics],
})
export class MetricsModule {}
