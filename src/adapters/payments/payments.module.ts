// Payment providers' webhook adapters, each switched on by its own configuration and absent otherwise; declared platforms share one.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { paymentsConfig } from '../../config/payments.config';
import { PaystackModule } from './paystack/paystack.module';
import { PaytoModule } from './payto/payto.module';
import { PlatformsModule } from './platforms/platforms.module';

@Module({})
export class PaymentsModule {
  /** `paymentIntake`: the payment intake flow's module, whose IngestPaymentEvent every webhook calls. */
  static forRoot(payments: ConfigType<typeof paymentsConfig>, paymentIntake: DynamicModule): DynamicModule {
    const imports: DynamicModule[] = [];
    if (payments.paystack.secretKey !== undefined) imports.push(PaystackModule.forRoot(payments.paystack, paymentIntake));
    if (payments.payto.apiKey !== undefined) imports.push(PaytoModule.forRoot(payments.payto, paymentIntake));
    if (payments.platforms.length > 0) imports.push(PlatformsModule.forRoot(payments.platforms, paymentIntake));
    return { module: PaymentsModule, imports };
  }
}
