// Unit specs sit next to the code (src/**/*.spec.ts); adapter and e2e suites live in test/.
// Nest 12 ships ESM only, so swc compiles it (and our TypeScript) to CommonJS for jest.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec|int-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  // Also ESM-only: content-disposition (pulled in by @fastify/static for the Swagger UI), jose, and
  // any-ascii and double-metaphone (sanctions name matching).
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|content-disposition|jose|any-ascii|double-metaphone)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  // A worker's exit spends 400 ms and more freeing its heap (strace and perf, 4 December 2026; no
  // timer, socket or child was left open by any file), past jest's 500 ms default on 2 busy cores,
  // whereupon jest reported "a worker process has failed to exit gracefully" for a leak there was not.
  workerGracefulExitTimeout: 2000,
};
