// Payment providers' webhook adapters, each switched on by its own configuration and absent otherwise.
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { PaystackModule } from './paystack/paystack.module';
import { PaytoModule } from './payto/payto.module';

@Module({})
export class PaymentsModule {
  /** `paymentIntake`: the payment intake flow's module, whose IngestPaymentEvent every webhook calls. */
  static forRoot(config: AppConfig, paymentIntake: DynamicModule): DynamicModule {
    const imports: DynamicModule[] = [];
    if (config.paystack.secretKey !== undefined) imports.push(PaystackModule.forRoot(config, paymentIntake));
    if (config.payto.apiKey !== undefined) imports.push(PaytoModule.forRoot(config, paymentIntake));
    return { module: PaymentsModule, imports };
  }
}
