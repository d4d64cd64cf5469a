// Inbound adapter for people: the review console's static files at /console, over the analyst API.
import { Module } from '@nestjs/common';
import { ConsoleAssets } from './console-assets';
import { ConsoleController } from './console.controller';

@Module({
  controllers: [ConsoleController],
  // Read at start: missing files stop the boot instead of failing analysts later.
  providers: [{ provide: ConsoleAssets, useFactory: () => ConsoleAssets.load() }],
})
export class ConsoleModule {}
