// A hand-written fake of the ManagedListStore port: lists, entries and a change log in memory.
import { ListChange, ListChangeRequest, ListContents, ListEntry, listEntryKey, ListSummary, ManagedListStore } from '../../src/application/ports/managed-list-store.port';
import { ListDeclaration, ListValue } from '../../src/domain/managed-list';

export class InMemoryManagedListStore extends ManagedListStore {
  readonly declared = new Map<string, ListDeclaration>();
  readonly entriesOf = new Map<string, Map<string, ListEntry>>();
  readonly log: ListChange[] = [];
  private listeners: (() => void)[] = [];
  private counter = 0;

  async declare(lists: readonly ListDeclaration[]): Promise<void> {
    for (const list of lists) {
      this.declared.set(list.name, list);
      if (!this.entriesOf.has(list.name)) this.entriesOf.set(list.name, new Map());
    }
  }

  async summaries(): Promise<ListSummary[]> {
    return [...this.declared.keys()].sort().map((name) => this.summaryOf(name));
  }

  async summary(name: string): Promise<ListSummary | undefined> {
    return this.declared.has(name) ? this.summaryOf(name) : undefined;
  }

  async entries(name: string, page: { limit: number; after?: string }): Promise<ListEntry[]> {
    return [...(this.entriesOf.get(name)?.values() ?? [])]
      .filter((entry) => page.after === undefined || entry.value > page.after)
      .sort((a, b) => (a.value < b.value ? -1 : 1))
      .slice(0, page.limit);
  }

  async changes(name: string, limit: number): Promise<ListChange[]> {
    return this.log.filter((change) => change.id.startsWith(`${name}#`)).reverse().slice(0, limit);
  }

  async add(name: string, values: readonly ListValue[], change: ListChangeRequest): Promise<ListValue[]> {
    const entries = this.entriesOf.get(name)!;
    const added = values.filter((value) => !entries.has(listEntryKey(value.type, value.value)));
    for (const value of added) {
      entries.set(listEntryKey(value.type, value.value), { ...value, reason: change.reason, addedBy: change.by, addedAt: new Date() });
      this.record(name, 'ADDED', value, change);
    }
    return added;
  }

  async remove(name: string, candidates: readonly ListValue[], change: ListChangeRequest): Promise<ListValue | undefined> {
    const entries = this.entriesOf.get(name)!;
    const found = candidates.filter((value) => entries.has(listEntryKey(value.type, value.value)));
    for (const value of found) {
      entries.delete(listEntryKey(value.type, value.value));
      this.record(name, 'REMOVED', value, change);
    }
    return found[0];
  }

  async version(): Promise<string> {
    return String(this.counter);
  }

  async contents(): Promise<ListContents> {
    const entries = new Map([...this.entriesOf].map(([name, values]) => [name, new Set(values.keys())]));
    return { version: String(this.counter), entries };
  }

  async onChange(listener: () => void): Promise<() => Promise<void>> {
    this.listeners.push(listener);
    return async () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private record(name: string, action: ListChange['action'], value: ListValue, change: ListChangeRequest): void {
    this.counter += 1;
    this.log.push({ id: `${name}#${this.counter}`, action, ...value, reason: change.reason, changedBy: change.by, changedAt: new Date() });
    for (const listener of this.listeners) listener();
  }

  private summaryOf(name: string): ListSummary {
    const changes = this.log.filter((change) => change.id.startsWith(`${name}#`));
    return { ...this.declared.get(name)!, entries: this.entriesOf.get(name)!.size, changedAt: changes[changes.length - 1]?.changedAt };
  }
}
