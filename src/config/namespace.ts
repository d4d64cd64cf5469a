// One @nestjs/config namespace: registerAs over an environment class that class-validator checks.
import { ConfigFactory, ConfigFactoryKeyHost, registerAs } from '@nestjs/config';
import { ConfigError, Env, EnvSection, readSection } from './env-section';
import { secretsOfSection, SectionSecrets } from './secrets';

export type NamespaceResult<T> = { readonly problems: readonly string[]; readonly value?: T; readonly secrets?: SectionSecrets };

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

/**
 * `secretsOf`: secrets the built value holds beyond the variables marked @Secret (those a file
 * names, such as PAYMENT_PLATFORMS_FILE's), so that logs mask them too.
 */
export function defineNamespace<E extends EnvSection, T extends object>(
  name: string,
  type: new () => E,
  build: (section: E) => T,
  secretsOf: (value: T) => SectionSecrets = () => ({ values: [], headers: [] }),
): Namespace<T> {
  const read = (env: Env): NamespaceResult<T> => {
    const { problems, section } = readSection(type, env);
    if (section === undefined) return { problems };
    const value = build(section);
    const own = secretsOfSection(section);
    const more = secretsOf(value);
    return { problems, value, secrets: { values: [...own.values, ...more.values], headers: [...own.headers, ...more.headers] } };
  };
  // Used alone (ConfigModule.forRoot({ load: [toqioConfig] })), a namespace reads process.env.
  const fromProcessEnv = (): T => {
    const { problems, value } = read(process.env);
    if (value === undefined) throw new ConfigError(problems);
    return value;
  };
  return Object.assign(registerAs(name, fromProcessEnv), { namespace: name, read });
}
