// What this replica's sanctions index holds, read at scrape time: whether it is needed and built, and zero lists means sanctions-name rules never fire.
import { Gauge } from 'prom-client';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { LiveSanctionsIndex } from './live-sanctions-index';

export function registerSanctionsMetrics(metrics: MetricsRecorder, index: LiveSanctionsIndex): void {
  new Gauge({
    name: 'tm_sanctions_index_needed',
    help: '1 while something on this replica needs the sanctions index (a sanctions-name rule in the active rule set, a backtest); 0: it is not built',
    registers: [metrics.registry],
    collect() {
      this.set(index.status().needed ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tm_sanctions_index_built',
    help: '1 when this replica holds a built sanctions index; needed but 0: building (a version with sanctions-name rules waits for it)',
    registers: [metrics.registry],
    collect() {
      this.set(index.status().built ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tm_sanctions_lists_loaded',
    help: 'Sanctions lists in this replica\'s index; 0: none loaded, sanctions-name rules never fire',
    registers: [metrics.registry],
    collect() {
      this.set(index.status().lists.length);
    },
  });
  new Gauge({
    name: 'tm_sanctions_list_entries',
    help: 'Entries of each loaded sanctions list in this replica\'s index',
    labelNames: ['list'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const list of index.status().lists) this.set({ list: list.source }, list.entries);
    },
  });
  new Gauge({
    name: 'tm_sanctions_names_indexed',
    help: 'Names (primary names and aliases) in this replica\'s sanctions index',
    registers: [metrics.registry],
    collect() {
      this.set(index.status().names);
    },
  });
  new Gauge({
    name: 'tm_sanctions_index_age_seconds',
    help: 'Seconds since this replica last rebuilt its sanctions index (it rebuilds within seconds of a load)',
    registers: [metrics.registry],
    collect() {
      const builtAt = index.status().builtAt;
      this.set(builtAt ? (Date.now() - builtAt.getTime()) / 1000 : 0);
    },
  });
}
