// Outbound adapter to Toqio: the webhook client behind the DecisionNotifier port.
import { DynamicModule, Module } from '@nestjs/common';
import { DecisionNotifier } from '../../application/ports/notification-outbox.port';
import { ConfigType } from '@nestjs/config';
import { toqioConfig } from '../../config/toqio.config';
import { HttpToqioNotifier } from './http-toqio.notifier';

@Module({})
export class ToqioModule {
  /** Absent without TOQIO_WEBHOOK_URL: notifications then wait in the outbox. */
  static forRoot(toqio: ConfigType<typeof toqioConfig>): DynamicModule {
    const url = toqio.webhookUrl;
    return {
      module: ToqioModule,
      providers: url
        ? [{ provide: DecisionNotifier, useValue: new HttpToqioNotifier({ url, apiKey: toqio.apiKey, apiKeyHeader: toqio.apiKeyHeader }) }]
        : [],
      exports: url ? [DecisionNotifier] : [],
    };
  }
}
