// Registers the validated namespaces with @nestjs/config, so that each is injectable by its KEY.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { Configuration, NAMESPACES } from './configuration';

@Module({})
export class AppConfigModule {
  /**
   * The values were validated by loadConfiguration before the module graph was defined (adapters
   * are chosen from them), so here each namespace's token is bound to its value; no .env file and
   * no process.env, so that two apps built from different env objects can run in one process.
   */
  static forRoot(config: Configuration): DynamicModule {
    const load = Object.values(NAMESPACES).map((namespace) =>
      registerAs(namespace.namespace, () => config[namespace.namespace as keyof Configuration]),
    );
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validatePredefined: false, skipProcessEnv: true, load })],
    };
  }
}
