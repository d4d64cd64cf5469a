// The `server` namespace: the HTTP port and the environment the service runs in.
import { IsIn } from 'class-validator';
import { EnvSection } from './env-section';
import { WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';

export type NodeEnv = 'production' | 'development' | 'test';

export class ServerEnv extends EnvSection {
  @IsIn(['production', 'development', 'test'], { message: 'NODE_ENV: must be production, development or test (got "$value")' })
  override NODE_ENV = 'development';

  @WholeNumber(0, 65_535)
  PORT = '3000';
}

export const serverConfig = defineNamespace('server', ServerEnv, (env) => ({
  port: Number(env.PORT),
  nodeEnv: env.NODE_ENV as NodeEnv,
}));
