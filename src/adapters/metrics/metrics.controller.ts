// GET /metrics in the Prometheus text format.
import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MetricsScrape } from './metrics-scrape';

@ApiTags('Operators')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsScrape) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary:
      'Prometheus metrics: validate latency, replays, decisions by source, webhook events, delivery attempts, review queue, outbox, database pool, process',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format; docs/operations.md ("Metrics") lists every series',
    schema: {
      type: 'string',
      example:
        '# HELP tm_validate_duration_seconds Time to answer POST /transaction/validate\n# TYPE tm_validate_duration_seconds histogram\n' +
        'tm_validate_duration_seconds_bucket{le="0.025",code="200",status="APPROVED"} 1187\n' +
        'tm_webhook_events_total{provider="rules",outcome="bad_signature"} 3\ntm_notifications_queued 0\n',
    },
  })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
