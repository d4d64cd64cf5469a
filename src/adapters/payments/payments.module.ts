// Payment providers' webhook adapters, each switched on by its own configuration and absent otherwise.
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { PaystackModule } from './paystack/paystack.module';
import { PaytoModule } from './payto/payto.module';

@Module({})
export class PaymentsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const imports: DynamicModule[] = [];
    if (config.paystack.secretKey !== undefined) imports.push(PaystackModule.forRoot(config));
    if (config.payto.apiKey !== undefined) imports.push(PaytoModule.forRoot(config));
    return { module: PaymentsModule, imports };
  }
}
