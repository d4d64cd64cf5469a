// Paystack's webhook adapter; imported only when PAYSTACK_SECRET_KEY is set.
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { PaystackSettings, PaystackWebhookController } from './paystack-webhook.controller';

@Module({})
export class PaystackModule {
  static forRoot(config: AppConfig, paymentIntake: DynamicModule): DynamicModule {
    const secretKey = config.paystack.secretKey;
    if (secretKey === undefined) throw new Error('PaystackModule needs PAYSTACK_SECRET_KEY');
    const settings: PaystackSettings = { secretKey, allowedIps: new Set(config.paystack.allowedIps) };
    return { module: PaystackModule, imports: [paymentIntake], controllers: [PaystackWebhookController], providers: [{ provide: PaystackSettings, useValue: settings }] };
  }
}
