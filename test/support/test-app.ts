// Boots the whole application on a fresh database, optionally with a fake provider.
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { MonitoringProvider } from '../../src/application/ports/monitoring-provider.port';
import { AppModule } from '../../src/app.module';
import { closeServer, listenOnOperationsPort, portOf } from '../../src/adapters/http/operations-port';
import { configureApp, createFastifyAdapter, NEST_APP_OPTIONS } from '../../src/bootstrap';
import { Configuration, loadConfiguration } from '../../src/config/configuration';
import { createTestDatabase, TestDatabase } from './database';
import { httpCall, HttpTarget } from './http';

export const API_KEY = 'test-api-key-0123456789';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: Configuration;
  readonly db: TestDatabase;
  /** The app's HTTP server, for supertest: requests to it are handled in this process. */
  readonly server: Server;
  /** http://127.0.0.1:<port> of the operations port, when OPS_PORT is set. */
  readonly opsBaseUrl?: string;
  /** http://127.0.0.1:<port> of the listening server, for what needs a real URL (a browser, a remote fake calling back). */
  readonly baseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly env?: Record<string, string>;
  readonly monitoringProvider?: MonitoringProvider;
  /** Reuse a database (e.g. a second replica); it is then not dropped on close. */
  readonly db?: TestDatabase;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  // Quiet unless asked: LOG_LEVEL=info npm test shows every request line. Suites seed hundreds of
  // decisions through the analyst API from one address: only the rate-limit tests set real limits.
  const config = loadConfiguration({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    TOQIO_API_KEY: API_KEY,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ANALYST_RATE_LIMIT_PER_MINUTE: '1000000',
    WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000000',
    // A shared test machine can starve a process for a second; a 503 at the deadline is not what
    // most suites are about. Those that are set VALIDATE_DEADLINE_MS themselves.
    VALIDATE_DEADLINE_MS: String(Number(options.env?.DECISION_TIMEOUT_MS ?? 1500) + 5_000),
    // Suites with Paystack on would otherwise ask the real api.paystack.co; the verification suite
    // points PAYSTACK_API_URL at a fake and turns it back on.
    PAYSTACK_VERIFY: 'false',
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.monitoringProvider) builder = builder.overrideProvider(MonitoringProvider).useValue(options.monitoringProvider);
  const moduleRef = await builder.compile({ abortOnError: false } as never);
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config.operations.trustProxy), { ...NEST_APP_OPTIONS, logger: ['error'] });
  await configureApp(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  const ops = config.server.opsPort === undefined ? undefined : await listenOnOperationsPort(app.getHttpAdapter().getInstance(), config.server.opsPort, '127.0.0.1');
  return {
    app,
    config,
    db,
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    opsBaseUrl: ops && `http://127.0.0.1:${portOf(ops)}`,
    close: async () => {
      await app.close();
      if (ops) await closeServer(ops);
      if (!options.db) await db.drop();
    },
  };
}

/** Several replicas of the service sharing one database of their own. */
export interface TestReplicas {
  readonly db: TestDatabase;
  /** In the order of `names`. */
  readonly replicas: readonly TestApp[];
  /** Stops every replica, then drops the database. */
  close(): Promise<void>;
}

/**
 * One replica per name on a new database, started together (they apply the migrations under one
 * lock, as replicas deploying at once do); `envOf` gives each its variables.
 */
export async function startReplicas(names: readonly string[], envOf: (replica: string) => Record<string, string>): Promise<TestReplicas> {
  const db = await createTestDatabase();
  const started = await Promise.allSettled(names.map((name) => startTestApp({ db, env: envOf(name) })));
  const replicas = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const close = async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await db.drop();
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { db, replicas, close };
}

export interface ValidateCall {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

/** POSTs a validate call; `body` is sent as-is when it is a string. */
export async function postValidate(target: HttpTarget, body: unknown, headers: Record<string, string> = {}): Promise<ValidateCall> {
  const { status, contentType, body: answer } = await httpCall(target, 'POST', '/transaction/validate', {
    headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status, contentType, body: answer };
}
