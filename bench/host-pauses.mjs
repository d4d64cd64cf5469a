// How long this machine stops a busy core: one worker thread a core spins on the clock for a few
// seconds and notes every gap between two readings of over 1 ms, which is time the thread did not run.
//
// On a virtual machine the host can take a vCPU away while the guest believes it runs (the guest's
// steal time may stay 0). On the 2-core machine the bench ran on in December 2026, two busy cores
// lost 13 to 21% of their time in pauses of up to 17 to 27 ms, one busy core 2 to 3% in pauses of
// up to 9 to 17 ms. A request caught in such a pause waits for its end, so a p99 target below the
// longest pause says more about the host than about the service when the load keeps both cores busy.
// Pauses under 1 ms are not counted: the share lost is a lower bound.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const SPINNER = `
  const { parentPort, workerData } = require('node:worker_threads');
  const end = performance.now() + workerData.ms;
  let last = performance.now();
  const gaps = [];
  for (;;) {
    const now = performance.now();
    if (now - last > 1) gaps.push(now - last);
    last = now;
    if (now >= end) break;
  }
  parentPort.postMessage(gaps);
`;

/**
 * Spins one thread per core for `seconds` and resolves to what the pauses cost them: the share of
 * their time lost (mean over the threads), the longest pause and the pauses of over 1 ms a
 * second, per thread.
 */
export async function probeHostPauses({ seconds = 3 } = {}) {
  const threads = availableParallelism();
  const ms = seconds * 1000;
  const perThread = await Promise.all(
    Array.from({ length: threads }, () => new Promise((resolve, reject) => {
      const worker = new Worker(SPINNER, { eval: true, workerData: { ms } });
      worker.once('message', resolve);
      worker.once('error', reject);
    })),
  );
  const all = perThread.flat();
  const lost = perThread.reduce((sum, gaps) => sum + gaps.reduce((a, b) => a + b, 0), 0) / threads;
  return {
    threads,
    seconds,
    lostShare: lost / ms,
    longestMs: all.length === 0 ? 0 : Math.max(...all),
    pausesPerSecond: all.length / threads / seconds,
  };
}

/** "2 busy cores lost on average 14.2% of their time in pauses of up to 17.1 ms (31 pauses of over 1 ms a second, ...)". */
export function describeHostPauses(probe) {
  const cores = probe.threads === 1 ? '1 busy core lost' : `${probe.threads} busy cores lost on average`;
  const their = probe.threads === 1 ? 'its' : 'their';
  return `${cores} ${(100 * probe.lostShare).toFixed(1)}% of ${their} time in pauses of up to ${probe.longestMs.toFixed(1)} ms ` +
    `(${probe.pausesPerSecond.toFixed(0)} pauses of over 1 ms a second, measured over ${probe.seconds} s)`;
}
