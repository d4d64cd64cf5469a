// Inbound HTTP adapter: Toqio's validate endpoint and its guard.
import { Module } from '@nestjs/common';
import { ToqioApiKeyGuard } from './toqio-api-key.guard';
import { ValidateTransactionController } from './validate-transaction.controller';

@Module({
  controllers: [ValidateTransactionController],
  providers: [ToqioApiKeyGuard],
})
export class HttpModule {}
