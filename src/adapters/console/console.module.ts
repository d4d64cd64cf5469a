// Inbound adapter for people: the review console's static files at /console, over the analyst API.
import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { ConsoleAssets } from './console-assets';
import { ConsoleController } from './console.controller';

@Module({
  controllers: [ConsoleController],
  // Read at start: missing files stop the boot instead of failing analysts later.
  providers: [{ provide: ConsoleAssets, useFactory: () => ConsoleAssets.load() }],
})
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** People type /console/ as often as /console; Nest drops trailing slashes from its routes, so Fastify answers this one. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get('/console/', (_request, reply) => reply.redirect('/console', 301));
  }
}
