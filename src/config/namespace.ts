// One @nestjs/config namespace: registerAs over an environment class that class-validator checks.
import { ConfigFactory, ConfigFactoryKeyHost, registerAs } from '@nestjs/config';
import { ConfigError, Env, EnvSection, readSection } from './env-section';

export type NamespaceResult<T> = { readonly problems: readonly string[]; readonly value?: T };

/**
 * Injected as `@Inject(toqioConfig.KEY) toqio: ConfigType<typeof toqioConfig>`. `read` validates
 * the namespace against any env object, so that an app can be built from an env given to it
 * (several apps with different settings run in one test process).
 */
export type Namespace<T extends object> = ConfigFactory<T> &
  ConfigFactoryKeyHost<T> & {
    readonly namespace: string;
    read(env: Env): NamespaceResult<T>;
  };

export function defineNamespace<E extends EnvSection, T extends object>(name: string, type: new () => E, build: (section: E) => T): Namespace<T> {
  const read = (env: Env): NamespaceResult<T> => {
    const { problems, section } = readSection(type, env);
    return section === undefined ? { problems } : { problems, value: build(section) };
  };
  // Used alone (ConfigModule.forRoot({ load: [toqioConfig] })), a namespace reads process.env.
  const fromProcessEnv = (): T => {
    const { problems, value } = read(process.env);
    if (value === undefined) throw new ConfigError(problems);
    return value;
  };
  return Object.assign(registerAs(name, fromProcessEnv), { namespace: name, read });
}
