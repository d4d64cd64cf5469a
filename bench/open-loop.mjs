// Open-loop load driver for `npm run bench`: latency at a fixed offered rate, measured from each request's intended send time.
//
// Why not autocannon for this: its `overallRate` gives every connection a per-second quota and fires it back to
// back at the start of each second, so "1,000 req/s" is really a burst every second, and a closed-loop driver
// never sends while its connections wait, so a stalled server hides its own queueing (coordinated omission).
//
// What this does instead:
//   - Request i has an intended send time t_i = start + i * (1000 / rate) ms, fixed in advance for every i in
//     [0, rate * (warm-up + duration)), whatever the server does.
//   - A timer loop wakes about every millisecond and sends every request whose intended time has passed, so
//     a late wake-up catches up by sending the overdue requests at once instead of dropping or shifting them.
//   - Latency = performance.now() when the response has been read to its end, minus the INTENDED send time.
//     A slow server or a late sender therefore shows in the latency; nothing is hidden by waiting.
//   - Requests go through node:http with one keep-alive Agent on loopback, with enough sockets (maxSockets)
//     that a free connection is normally there; if the server falls so far behind that all are busy, the
//     Agent queues the request, and that wait is part of its latency too.
//   - The first `warmupS` seconds of the schedule are sent but not measured; measurement follows without a gap.
//   - Scheduling stops at the end of the duration; outstanding responses get at most `drainTimeoutMs`, after
//     which the rest are timeouts. Non-2xx answers, socket errors and timeouts are errors.
//   - Every measured request contributes exactly one latency sample: its response end, the moment it failed
//     (socket error), or, for a timeout, the drain deadline (a lower bound of its true latency). Failures thus
//     cannot shorten the percentiles by disappearing from them; they are also counted as errors.
//   - The sender's own health is reported: achieved send rate and how late sends were against their intended
//     times (p99, max). Sender lateness well above a millisecond or two means the load generator, not the
//     server, was the limit, and the latencies are pessimistic by that much.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Drives `POST path` (or the given method) on `baseUrl` at `rate` requests/s, open loop.
 *
 * @param {object} options
 * @param {string} options.baseUrl      e.g. http://127.0.0.1:3000 (loopback)
 * @param {string} options.path         request path
 * @param {string} [options.method]     HTTP method, POST by default
 * @param {Record<string,string>} options.headers  request headers (content-length is set per request)
 * @param {() => string} options.nextBody  called once per request, at send time: the request body
 * @param {(body: string) => Record<string,string>} [options.headersFor]  extra headers for that body (a signature, say)
 * @param {number} options.rate         offered rate, requests/s
 * @param {number} options.durationS    measured seconds
 * @param {number} [options.warmupS]    seconds of the same schedule sent before measuring (default 2)
 * @param {number} [options.drainTimeoutMs]  longest wait for outstanding responses after the schedule (default 5000)
 * @param {number} [options.maxSockets] keep-alive connection cap (default 256)
 * @param {(body: string, statusCode: number | undefined, latencyMs: number) => void} [options.onAnswer]
 *        told each measured request's outcome (statusCode undefined: no answer, a timeout among them)
 */
export async function runOpenLoop({
  baseUrl,
  path,
  method = 'POST',
  headers,
  nextBody,
  headersFor,
  onAnswer,
  rate,
  durationS,
  warmupS = 2,
  drainTimeoutMs = 5_000,
  maxSockets = 256,
}) {
  const { hostname, port } = new URL(baseUrl);
  const intervalMs = 1000 / rate;
  const warmupCount = Math.round(rate * warmupS);
  const measuredCount = Math.round(rate * durationS);
  const totalCount = warmupCount + measuredCount;

  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, noDelay: true });
  // Every request reports its socket (new or reused) through 'socket'; the first sighting of one is an open.
  const seenSockets = new WeakSet();
  let socketsOpened = 0;

  // Per measured request (index i - warmupCount): one latency and one sender lateness, in ms.
  const latencies = new Float64Array(measuredCount);
  const lateness = new Float64Array(measuredCount);
  let firstMeasuredSentAt = NaN;
  let lastMeasuredSentAt = NaN;
  let lastMeasuredEndAt = -Infinity;

  let ok = 0;
  let non2xx = 0;
  let socketErrors = 0;
  let timeouts = 0;
  let warmupFailures = 0;
  const statusCodes = new Map();
  const errorCodes = new Map();
  const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);

  // Requests sent and not yet settled, for the drain and for counting timeouts.
  const pending = new Set();
  let inFlight = 0;
  let peakInFlight = 0;
  let onIdle; // resolves the drain wait when the last outstanding request settles

  const start = performance.now();
  const intendedTime = (i) => start + i * intervalMs;
  const measureFrom = intendedTime(warmupCount); // the first measured intended send time

  function send(i) {
    const intended = intendedTime(i);
    const measured = i >= warmupCount;
    const slot = i - warmupCount;
    const body = nextBody();
    const entry = { settled: false, intended, measured, slot, body };

    /** Records the request's single outcome; later events of the same request (e.g. from destroy) are ignored. */
    const settle = (endAt, statusCode, errorCode) => {
      if (entry.settled) return;
      entry.settled = true;
      pending.delete(entry);
      inFlight -= 1;
      const success = statusCode !== undefined && statusCode >= 200 && statusCode < 300;
      if (measured) {
        latencies[slot] = endAt - intended;
        onAnswer?.(body, statusCode, endAt - intended);
        lastMeasuredEndAt = Math.max(lastMeasuredEndAt, endAt);
        if (success) ok += 1;
        else if (statusCode !== undefined) non2xx += 1;
        else socketErrors += 1;
        if (statusCode !== undefined) bump(statusCodes, statusCode);
        else bump(errorCodes, errorCode);
      } else if (!success) {
        warmupFailures += 1;
      }
      if (inFlight === 0 && onIdle) onIdle();
    };
    entry.settle = settle;

    const request = http.request({
      agent,
      hostname,
      port,
      method,
      path,
      headers: { ...headers, ...(headersFor ? headersFor(body) : {}), 'content-length': Buffer.byteLength(body) },
    });
    request.on('socket', (socket) => {
      if (!seenSockets.has(socket)) {
        seenSockets.add(socket);
        socketsOpened += 1;
      }
    });
    request.on('response', (response) => {
      response.resume(); // read and discard the body; latency ends when it has all arrived
      response.on('end', () => settle(performance.now(), response.statusCode));
      response.on('error', (error) => settle(performance.now(), undefined, error.code ?? error.message));
      response.on('close', () => {
        if (!response.complete) settle(performance.now(), undefined, 'response aborted');
      });
    });
    request.on('error', (error) => settle(performance.now(), undefined, error.code ?? error.message));

    pending.add(entry);
    inFlight += 1;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
    const sentAt = performance.now();
    if (measured) {
      lateness[slot] = sentAt - intended;
      if (slot === 0) firstMeasuredSentAt = sentAt;
      lastMeasuredSentAt = sentAt;
    }
    request.end(body);
  }

  // The sender: wakes about every millisecond (sooner is not possible with timers, and spinning would steal a
  // core from the servers on a small machine) and sends everything now due, re-reading the clock as it goes.
  await new Promise((resolve) => {
    let next = 0;
    const tick = () => {
      while (next < totalCount && intendedTime(next) <= performance.now()) {
        send(next);
        next += 1;
      }
      if (next >= totalCount) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(1, Math.floor(intendedTime(next) - performance.now())));
    };
    tick();
  });
  const scheduleEnd = intendedTime(totalCount);

  // The drain: at most drainTimeoutMs for what is still outstanding; the rest are timeouts.
  if (inFlight > 0) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, drainTimeoutMs);
      onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  const deadline = performance.now();
  for (const entry of [...pending]) {
    if (entry.measured) {
      // Settle as a timeout before destroying the sockets, so the resulting socket errors are ignored.
      entry.settled = true;
      pending.delete(entry);
      inFlight -= 1;
      latencies[entry.slot] = deadline - entry.intended; // a lower bound: it had not answered by now
      onAnswer?.(entry.body, undefined, deadline - entry.intended);
      timeouts += 1;
      bump(errorCodes, 'timeout');
    } else {
      entry.settle(deadline, undefined, 'timeout');
    }
  }
  agent.destroy();

  // In send order, for figures over part of the schedule (a process's first seconds, say).
  const latenciesBySlot = latencies.slice();
  latencies.sort();
  lateness.sort();
  const measuredWindowMs = Math.max(scheduleEnd, lastMeasuredEndAt) - measureFrom;
  return {
    offeredRate: rate,
    durationS,
    warmupS,
    sent: measuredCount,
    ok,
    non2xx,
    socketErrors,
    timeouts,
    errors: non2xx + socketErrors + timeouts,
    statusCodes: Object.fromEntries(statusCodes),
    errorCodes: Object.fromEntries(errorCodes),
    warmupFailures,
    latency: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
    },
    // 2xx answers per second, from the first measured intended send time to the end of the schedule or the
    // last measured answer or failure (timeouts aside), whichever is later: the offered rate when the server
    // keeps up, less when it falls behind or fails.
    answeredRate: (ok * 1000) / measuredWindowMs,
    // Measured requests per second between the first and last measured sends, as the sender really sent them.
    achievedSendRate: measuredCount > 1 ? ((measuredCount - 1) * 1000) / (lastMeasuredSentAt - firstMeasuredSentAt) : NaN,
    senderLateness: {
      p50: percentile(lateness, 50),
      p99: percentile(lateness, 99),
      max: lateness[lateness.length - 1],
    },
    socketsOpened,
    maxSockets,
    peakInFlight,
    latenciesBySlot,
  };
}

/** Nearest-rank percentile of an ascending array (the smallest sample with at least p% of samples at or below it). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
