// npm run bench:sanctions: screening one name against 1,000,000 generated names in process (p99 per name, for the
// best hit and the count of hits, what a sanctions-name rule asks),
// the index's memory and build time, and recall and precision at the shipped threshold on that list.
// SANCTIONS_BENCH_NAMES changes the list size; SANCTIONS_BENCH_QUERIES the number of screened names.
import { createRequire } from 'node:module';
import { evaluate, generateList, labelledSet } from './sanctions-names.mjs';

const require = createRequire(import.meta.url);
const { SanctionsIndexBuilder } = require('../dist/adapters/sanctions/matching/sanctions-index.js');

const NAMES = Number(process.env.SANCTIONS_BENCH_NAMES ?? 1_000_000);
const QUERIES = Number(process.env.SANCTIONS_BENCH_QUERIES ?? 10_000);
const THRESHOLD = 0.9;

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
function heap() {
  global.gc?.();
  return process.memoryUsage();
}

const list = generateList(NAMES);
const cases = labelledSet(list, QUERIES / 2, QUERIES / 2);
const before = heap();
let started = performance.now();
// The builder is dropped once the index is built, as the service drops it: the memory is the index's own.
const index = (() => {
  const builder = new SanctionsIndexBuilder();
  for (const entry of list.entries) builder.add('UN', entry);
  return builder.build([{ source: 'UN', version: 'generated', loadedAt: new Date(), entries: list.entries.length }]);
})();
const buildSeconds = (performance.now() - started) / 1000;
const after = heap();
console.log(`list: ${NAMES.toLocaleString('en-GB')} names in ${list.entries.length.toLocaleString('en-GB')} entries; index built in ${buildSeconds.toFixed(1)} s`);
console.log(`index memory: heap +${mb(after.heapUsed - before.heapUsed)}, array buffers +${mb(after.arrayBuffers - before.arrayBuffers)}, RSS +${mb(after.rss - before.rss)} (RSS now ${mb(after.rss)})`);
if (!global.gc) console.log('(run with node --expose-gc for exact heap figures)');

// Warm up, then time every query on its own, as the sanctions-name rule asks: the best hit and how many
// entries hit (index.top). Recall and precision look at every hit (index.screen), untimed.
for (const c of cases.slice(0, 500)) index.top({ name: c.query, minScore: THRESHOLD }, 1);
const times = [];
const cpuTimes = [];
started = performance.now();
for (const c of cases) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  index.top({ name: c.query, minScore: THRESHOLD }, 1);
  times.push(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
}
const total = performance.now() - started;
const result = evaluate(cases, (query) => index.screen({ name: query, minScore: THRESHOLD }));
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const at = (q, sorted = times) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(3);
console.log(`screening ${times.length.toLocaleString('en-GB')} names: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, p99.9 ${at(0.999)} ms, max ${times.at(-1).toFixed(3)} ms (${Math.round(times.length / (total / 1000))} names/s)`);
// CPU time (this process, garbage collection included) is less moved by other processes on a shared machine.
console.log(`CPU time per name: p50 ${at(0.5, cpuTimes)} ms, p99 ${at(0.99, cpuTimes)} ms, p99.9 ${at(0.999, cpuTimes)} ms`);
console.log(`at ${THRESHOLD}: recall ${result.recall.toFixed(3)}, precision ${result.precision.toFixed(3)} (${result.tp} found, ${result.fn} missed, ${result.fp} false alerts, ${result.tn} rightly quiet)`);
for (const [kind, stats] of Object.entries(result.kinds)) console.log(`  ${kind}: ${stats.found} of ${stats.cases} ${kind.startsWith('not listed') ? 'alerted' : 'found'}`);
// the most the process held at once: the list, the builder's arrays and the index (what a replica needs while it builds)
console.log(`peak RSS: ${mb(process.resourceUsage().maxRSS * 1024)}`);
console.log(`load average: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
