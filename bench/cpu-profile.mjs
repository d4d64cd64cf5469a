// Reading a V8 CPU profile (`node --cpu-prof`) for the benches: self time by function or by module, counting only the
// samples taken inside given windows of the monotonic clock (V8's profile clock is the one process.hrtime reads, in µs).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Now on the profile's clock, in µs: bound a measured phase with two of these. */
export const profileClockUs = () => process.hrtime.bigint() / 1000n;

/** The newest profile a process wrote into `dir`, parsed. */
export async function readNewestProfile(dir) {
  const file = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).sort().pop();
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return { file: join(dir, file), profile: JSON.parse(await readFile(join(dir, file), 'utf8')) };
}

/** Visits the samples taken inside any of `windows` ([{ from, to }] in µs): start-up, warm-up and idle gaps left out. */
function eachSample(profile, windows, visit) {
  let at = BigInt(profile.startTime);
  profile.samples.forEach((id, i) => {
    at += BigInt(profile.timeDeltas[i] ?? 0);
    if (windows.some((w) => at >= w.from && at <= w.to)) visit(id, i);
  });
}

function functionKey(callFrame) {
  const file = callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
  return `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`;
}

function moduleKey(callFrame) {
  const { url, functionName } = callFrame;
  const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/dist/')) return `dist/${url.split('/dist/')[1].split('/').slice(0, -1).join('/')}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url || `(${functionName})`;
}

/** µs of self time per key ('function' or 'module'), summed over the samples inside `windows`. */
export function selfTime(profile, windows, by = 'function') {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const keyOf = by === 'module' ? moduleKey : functionKey;
  const self = new Map();
  eachSample(profile, windows, (id, i) => {
    const key = keyOf(byId.get(id).callFrame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return self;
}

/** The `count` largest entries of a selfTime map, as lines: share of all samples, then the key. */
export function topShares(self, count) {
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
}

/**
 * Where two profiles of the same work differ, per request: each key's self time divided by its run's requests,
 * the `count` largest differences (b minus a) first, as lines. Idle samples are left out.
 */
export function perRequestDifferences(a, aRequests, b, bRequests, count) {
  const keys = new Set([...a.keys(), ...b.keys()]);
  keys.delete('(idle) :0');
  const rows = [...keys].map((key) => {
    const x = (a.get(key) ?? 0) / aRequests;
    const y = (b.get(key) ?? 0) / bRequests;
    return { key, x, y, d: y - x };
  });
  const busy = (self, requests) => [...self.entries()].filter(([key]) => key !== '(idle) :0').reduce((sum, [, us]) => sum + us, 0) / requests;
  const lines = [`busy per request: ${busy(a, aRequests).toFixed(0)} µs vs ${busy(b, bRequests).toFixed(0)} µs`];
  for (const { key, x, y, d } of rows.sort((p, q) => Math.abs(q.d) - Math.abs(p.d)).slice(0, count)) {
    lines.push(`${(d >= 0 ? '+' : '') + d.toFixed(1).padStart(6)} µs  (${x.toFixed(1)} -> ${y.toFixed(1)})  ${key}`);
  }
  return lines;
}
