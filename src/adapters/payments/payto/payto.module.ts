// ANZ PayTo webhook adapter; imported only when PAYTO_API_KEY is set.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { paymentsConfig } from '../../../config/payments.config';
import { PaytoApiKeyGuard, PaytoSettings, PaytoWebhookController } from './payto-webhook.controller';
import { PaytoTokenOpener } from './payto-token';

@Module({})
export class PaytoModule {
  static forRoot(payto: ConfigType<typeof paymentsConfig>['payto'], paymentIntake: DynamicModule): DynamicModule {
    const { apiKey, apiKeyHeader, signingPublicKey, decryptionPrivateKey } = payto;
    if (apiKey === undefined || signingPublicKey === undefined) throw new Error('PaytoModule needs PAYTO_API_KEY and PAYTO_SIGNING_PUBLIC_KEY');
    const settings: PaytoSettings = { apiKey, apiKeyHeader };
    return {
      module: PaytoModule,
      imports: [paymentIntake],
      controllers: [PaytoWebhookController],
      providers: [
        { provide: PaytoSettings, useValue: settings },
        { provide: PaytoTokenOpener, useValue: new PaytoTokenOpener({ signingPublicKey, decryptionPrivateKey }) },
        PaytoApiKeyGuard,
      ],
    };
  }
}
