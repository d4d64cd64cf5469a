// The `server` namespace: the HTTP port and the environment the service runs in.
import { IsIn } from 'class-validator';
import { EnvSection } from './env-section';
import { EnvRule, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';

export type NodeEnv = 'production' | 'development' | 'test';

export class ServerEnv extends EnvSection {
  @IsIn(['production', 'development', 'test'], { message: 'NODE_ENV: must be production, development or test (got "$value")' })
  override NODE_ENV = 'development';

  @WholeNumber(0, 65_535)
  PORT = '3000';

  /** Set: /health/*, /metrics and /docs* are served on this port instead of PORT. */
  @WholeNumber(0, 65_535)
  @EnvRule<ServerEnv>('distinctPort', (port, env) => (port !== undefined && port !== '0' && Number(port) === Number(env.PORT) ? ['must differ from PORT'] : []))
  OPS_PORT?: string;
}

export const serverConfig = defineNamespace('server', ServerEnv, (env) => ({
  port: Number(env.PORT),
  /** Undefined: probes, metrics and docs stay on `port`. */
  opsPort: env.OPS_PORT === undefined ? undefined : Number(env.OPS_PORT),
  nodeEnv: env.NODE_ENV as NodeEnv,
}));
