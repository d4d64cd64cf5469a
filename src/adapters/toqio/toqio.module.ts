// Outbound adapter to Toqio: the webhook client behind the DecisionNotifier port.
import { DynamicModule, Module } from '@nestjs/common';
import { DecisionNotifier } from '../../application/ports/notification-outbox.port';
import { AppConfig } from '../../config/app-config';
import { HttpToqioNotifier } from './http-toqio.notifier';

@Module({})
export class ToqioModule {
  /** Absent without TOQIO_WEBHOOK_URL: notifications then wait in the outbox. */
  static forRoot(config: AppConfig): DynamicModule {
    const url = config.toqio.webhookUrl;
    return {
      module: ToqioModule,
      providers: url
        ? [{ provide: DecisionNotifier, useValue: new HttpToqioNotifier({ url, apiKey: config.toqio.apiKey, apiKeyHeader: config.toqio.apiKeyHeader }) }]
        : [],
      exports: url ? [DecisionNotifier] : [],
    };
  }
}
