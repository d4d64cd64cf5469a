// The declarative adapter for the payment platforms of PAYMENT_PLATFORMS_FILE; imported only when the file declares one.
import { DynamicModule, Module } from '@nestjs/common';
import { Platform } from './platform-definition';
import { PlatformWebhookController } from './platform-webhook.controller';
import { DeclaredPlatforms, PlatformWebhookGate } from './platform-webhook.gate';

@Module({})
export class PlatformsModule {
  static forRoot(platforms: readonly Platform[], paymentIntake: DynamicModule): DynamicModule {
    return {
      module: PlatformsModule,
      imports: [paymentIntake],
      controllers: [PlatformWebhookController],
      providers: [{ provide: DeclaredPlatforms, useValue: new DeclaredPlatforms(platforms) }, PlatformWebhookGate],
    };
  }
}
