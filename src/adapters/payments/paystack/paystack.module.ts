// Paystack's webhook adapter; imported only when PAYSTACK_SECRET_KEY is set.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { paymentsConfig } from '../../../config/payments.config';
import { PaystackSettings, PaystackWebhookController } from './paystack-webhook.controller';

@Module({})
export class PaystackModule {
  static forRoot(paystack: ConfigType<typeof paymentsConfig>['paystack'], paymentIntake: DynamicModule): DynamicModule {
    const secretKey = paystack.secretKey;
    if (secretKey === undefined) throw new Error('PaystackModule needs PAYSTACK_SECRET_KEY');
    const settings: PaystackSettings = { secretKey, allowedIps: new Set(paystack.allowedIps) };
    return { module: PaystackModule, imports: [paymentIntake], controllers: [PaystackWebhookController], providers: [{ provide: PaystackSettings, useValue: settings }] };
  }
}
