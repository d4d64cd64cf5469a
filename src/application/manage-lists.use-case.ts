// Analysts read the managed lists; admins add and remove entries, each change logged with who, when and why.
import { pageOf } from './page';
import { FieldProblem } from '../domain/domain-error';
import { canonicalListValue, isUsableRawValue, ListDeclaration, ListValue, MAX_LIST_VALUE_LENGTH, MAX_VALUES_PER_CHANGE, parseListValue } from '../domain/managed-list';
import { storableText } from '../domain/storable-text';
import { InvalidListChangeError, ListEntryNotFoundError, ListNotFoundError } from '../domain/rules-errors';
import { ListChange, ListEntry, ListSummary, ManagedListStore } from './ports/managed-list-store.port';
import { shownValue } from '../domain/shown-value';

export interface ListView extends ListDeclaration {
  readonly entryCount: number;
  readonly changedAt: string | null;
}

export interface ListEntryView extends ListValue {
  readonly reason: string;
  readonly addedBy: string;
  readonly addedAt: string;
}

export interface ListChangeView extends ListValue {
  readonly id: string;
  readonly action: 'ADDED' | 'REMOVED';
  readonly reason: string;
  readonly changedBy: string;
  readonly changedAt: string;
}

export interface ListDetailView extends ListView {
  readonly entries: readonly ListEntryView[];
  /** The value to pass as `after` for the next page, or null on the last. */
  readonly nextAfter: string | null;
  /** The latest changes, newest first. */
  readonly changes: readonly ListChangeView[];
}

export interface ListChangeResult {
  readonly list: string;
  /** The values added (canonical), and those already listed (left as they were). */
  readonly added: readonly ListValue[];
  readonly alreadyListed: readonly ListValue[];
}

export interface ListRemovalResult {
  readonly list: string;
  readonly removed: ListValue;
}

const RECENT_CHANGES = 50;

export class ManageLists {
  constructor(private readonly store: ManagedListStore) {}

  async lists(): Promise<ListView[]> {
    return (await this.store.summaries()).map(listView);
  }

  async list(name: string, page: { limit: number; after?: string }): Promise<ListDetailView> {
    const summary = await this.known(name);
    const [entries, changes] = await Promise.all([this.store.entries(name, { limit: page.limit + 1, after: page.after }), this.store.changes(name, RECENT_CHANGES)]);
    const shown = pageOf(entries, page.limit);
    return {
      ...listView(summary),
      entries: shown.items.map(entryView),
      nextAfter: shown.continueAfter?.value ?? null,
      changes: changes.map(changeView),
    };
  }

  /** All values are checked first: one bad value refuses the whole call, naming every bad one. */
  async add(name: string, rawValues: readonly unknown[], reason: string, by: string): Promise<ListChangeResult> {
    const list = await this.known(name);
    if (rawValues.length === 0 || rawValues.length > MAX_VALUES_PER_CHANGE) {
      throw new InvalidListChangeError([{ field: 'values', message: `must hold 1 to ${MAX_VALUES_PER_CHANGE} values` }]);
    }
    const problems: FieldProblem[] = [];
    const values = new Map<string, ListValue>();
    rawValues.forEach((raw, i) => {
      const parsed = parseListValue(list.types, raw);
      if ('problem' in parsed) problems.push({ field: `values[${i}]`, message: `${JSON.stringify(shownValue(raw).slice(0, 60))} ${parsed.problem}` });
      else for (const value of parsed) values.set(`${value.type}:${value.value}`, value);
    });
    if (problems.length > 0) throw new InvalidListChangeError(problems);
    const added = await this.store.add(name, [...values.values()], { reason: storableText(reason, 1000), by });
    const addedKeys = new Set(added.map((v) => `${v.type}:${v.value}`));
    return { list: name, added, alreadyListed: [...values.entries()].filter(([key]) => !addedKeys.has(key)).map(([, value]) => value) };
  }

  /** `raw` is read as each of the list's types would read it; whichever is listed goes. */
  async remove(name: string, raw: string, reason: string, by: string): Promise<ListRemovalResult> {
    if (raw.length > MAX_LIST_VALUE_LENGTH || !isUsableRawValue(raw)) throw new ListEntryNotFoundError(name, JSON.stringify(raw.slice(0, 60)));
    const list = await this.known(name);
    const candidates = list.types.map((type) => ({ type, value: canonicalListValue(type, raw) }));
    const removed = await this.store.remove(name, candidates, { reason: storableText(reason, 1000), by });
    if (!removed) throw new ListEntryNotFoundError(name, raw);
    return { list: name, removed };
  }

  private async known(name: string): Promise<ListSummary> {
    const summary = await this.store.summary(name);
    if (!summary) throw new ListNotFoundError(name);
    return summary;
  }
}

function listView(summary: ListSummary): ListView {
  return { name: summary.name, types: summary.types, description: summary.description, entryCount: summary.entries, changedAt: summary.changedAt?.toISOString() ?? null };
}

const entryView = (entry: ListEntry): ListEntryView => ({ type: entry.type, value: entry.value, reason: entry.reason, addedBy: entry.addedBy, addedAt: entry.addedAt.toISOString() });

const changeView = (change: ListChange): ListChangeView => ({
  id: change.id,
  action: change.action,
  type: change.type,
  value: change.value,
  reason: change.reason,
  changedBy: change.changedBy,
  changedAt: change.changedAt.toISOString(),
});
