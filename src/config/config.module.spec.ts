import { Inject, Injectable } from '@nestjs/common';
import { ConfigService, ConfigType } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from './config.module';
import { loadConfiguration } from './configuration';
import { toqioConfig } from './toqio.config';

@Injectable()
class NeedsToqio {
  constructor(@Inject(toqioConfig.KEY) readonly toqio: ConfigType<typeof toqioConfig>) {}
}

async function appFrom(env: Record<string, string>) {
  return Test.createTestingModule({ imports: [AppConfigModule.forRoot(loadConfiguration(env))], providers: [NeedsToqio] }).compile();
}

describe('AppConfigModule', () => {
  it('injects each namespace typed, from the env object the app was built from, never process.env', async () => {
    process.env.TOQIO_API_KEY_HEADER = 'x-from-process-env';
    try {
      const [first, second] = await Promise.all([appFrom({ TOQIO_API_KEY: 'key-one' }), appFrom({ TOQIO_API_KEY: 'key-two', TOQIO_API_KEY_HEADER: 'X-Other' })]);
      expect(first.get(NeedsToqio).toqio).toMatchObject({ apiKey: 'key-one', apiKeyHeader: 'x-api-key' });
      expect(second.get(NeedsToqio).toqio).toMatchObject({ apiKey: 'key-two', apiKeyHeader: 'x-other' });
      expect(second.get(ConfigService).get('toqio.apiKeyHeader')).toBe('x-other');
      expect(second.get(ConfigService).get('TOQIO_API_KEY_HEADER')).toBeUndefined();
      await Promise.all([first.close(), second.close()]);
    } finally {
      delete process.env.TOQIO_API_KEY_HEADER;
    }
  });

  it('lets a namespace be used alone, read from process.env like any registerAs factory', () => {
    process.env.TOQIO_API_KEY = 'from-process-env';
    try {
      expect(toqioConfig()).toMatchObject({ apiKey: 'from-process-env', apiKeyGenerated: false });
    } finally {
      delete process.env.TOQIO_API_KEY;
    }
  });
});
