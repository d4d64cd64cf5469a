// Entry point: validate configuration, bring up the database, serve, and shut down cleanly.
import 'reflect-metadata';
import { Server } from 'node:http';
import { Logger, LoggerService } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { isDatabaseUnavailable } from './adapters/errors/database-unavailable';
import { createRootLogger } from './adapters/logging/logging.module';
import { PinoNestLogger } from './adapters/logging/nest-logger';
import { startEmbeddedDatabase, EmbeddedDatabase } from './adapters/persistence/embedded-database';
import { closeServer, listenOnOperationsPort, portOf } from './adapters/http/operations-port';
import { createApp } from './bootstrap';
import { Configuration, loadConfiguration } from './config/configuration';
import { ConfigError } from './config/env-section';

const logger = new Logger('Main');

async function main(): Promise<void> {
  let config: Configuration;
  try {
    config = loadConfiguration(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // JSON lines from the first one: what the start logs before the application's own logger takes
  // over (the embedded database, the modules, a failure to reach PostgreSQL) goes through this one.
  const bootLogger: LoggerService = new PinoNestLogger(createRootLogger(config, pino.destination({ fd: 1, sync: true })));
  Logger.overrideLogger(bootLogger);

  let embedded: EmbeddedDatabase | undefined;
  let app: NestFastifyApplication | undefined;
  let ops: Server | undefined;
  let stopping = false;
  const shutdown = async (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: no new requests; finishing those in flight`);
    try {
      await app?.close();
      if (ops) await closeServer(ops);
      await embedded?.stop();
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).stack ?? String(error)}`);
      code = 1;
    }
    process.exit(code);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGINT', () => void shutdown('SIGINT', 0));

  try {
    if (!config.database.url) {
      embedded = await startEmbeddedDatabase(config.database.embeddedDir, (message) => logger.log(message), (message) => logger.warn(message));
      logger.log(`embedded PostgreSQL ready (data in ${config.database.embeddedDir}); set DATABASE_URL to use your own`);
      config = { ...config, database: { ...config.database, url: embedded.url } };
    }
    app = await createApp(config, bootLogger);
    await app.listen({ port: config.server.port, host: '0.0.0.0' });
    if (config.server.opsPort !== undefined) ops = await listenOnOperationsPort(app.getHttpAdapter().getInstance(), config.server.opsPort, '0.0.0.0');
  } catch (error) {
    logger.error(`start failed: ${startFailure(error, config.database.url !== undefined && embedded === undefined)}`);
    await app?.close().catch(() => undefined);
    if (ops) await closeServer(ops).catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }

  announce(config, app, ops);
}

/**
 * Why the start failed, in one line; a database that refuses, is missing or cannot be reached (as
 * requests judge it: isDatabaseUnavailable) is put down to DATABASE_URL (its password never shown:
 * pg's messages carry none), so that the operator knows which setting to look at.
 */
function startFailure(error: unknown, ownDatabase: boolean): string {
  const { message, code } = error as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (!ownDatabase || !isDatabaseUnavailable(error)) return text;
  return `DATABASE_URL: the database cannot be used${typeof code === 'string' ? ` (${code})` : ''}: ${text}`;
}

/** What an operator needs to read at start: where it listens, and what is not set up yet. */
function announce(config: Configuration, app: NestFastifyApplication, ops: Server | undefined): void {
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  logger.log(`listening on http://localhost:${port} (NODE_ENV=${config.server.nodeEnv}, provider=${config.monitoring.provider})`);
  if (ops) logger.log(`operations (/health, /metrics, /docs) on http://localhost:${portOf(ops)} only`);
  if (config.toqio.apiKeyGenerated) {
    logger.warn(`development API key (header ${config.toqio.apiKeyHeader}): ${config.toqio.apiKey}`);
    logger.warn('this key changes at every start; set TOQIO_API_KEY to keep one');
  }
  if (!config.toqio.webhookUrl) {
    logger.warn('TOQIO_WEBHOOK_URL is not set: decisions on pending transactions stay in the database until it is');
  }
}

void main();
