// The service starts the same way everywhere: npm start, the container image, and the processes tests and benches start.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICE_NODE_FLAGS, startCommand } from './support/service-process';

describe('the start command', () => {
  it('runs the built service with the garbage collection settings the profiles chose', () => {
    // Twice V8's default semi-space: half the scavenges at 1,000 validates/s. No allocation-site
    // pretenuring: per-request objects die young instead of filling the old generation, whose
    // full collections set the p99. The old generation grows to twice what a full collection
    // leaves, where V8 chose as little as a tenth more once those collections were fast: one a
    // minute at 1,000 validates/s instead of one every 3 to 6 s (docs/operations.md, "Health,
    // lifecycle and the container").
    const flags = ['--max-semi-space-size=32', '--no-allocation-site-pretenuring', '--heap-growing-percent=100'];
    expect(startCommand()).toEqual(['node', ...flags, 'dist/main.js']);
    expect(SERVICE_NODE_FLAGS).toEqual(flags);
  });

  it('is the container image command too', () => {
    const dockerfile = readFileSync(resolve(__dirname, '../Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1]!)).toEqual(startCommand());
  });

  it('is what the benches start the service with', async () => {
    const bench = (await import(resolve(__dirname, '../bench/service.mjs'))) as { SERVICE_NODE_FLAGS: string[] };
    expect(bench.SERVICE_NODE_FLAGS).toEqual(SERVICE_NODE_FLAGS);
  });
});
