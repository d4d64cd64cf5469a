// The fault suite (npm run test:faults): the database stopped, the process killed, the provider
// hanging, Toqio down, forged webhooks. One scenario at a time, so their timings are their own.
const base = require('./jest.config.cjs');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testRegex: '.*\\.fault-spec\\.ts$',
  testTimeout: 180000,
  maxWorkers: 1,
};
