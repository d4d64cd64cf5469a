// The managed lists in PostgreSQL: declarations, entries, the append-only change log, and a version every change raises and announces.
import { Pool, PoolClient, PoolConfig } from 'pg';
import { ListChange, ListChangeRequest, ListContents, ListEntry, listEntryKey, ListSummary, ManagedListStore } from '../../application/ports/managed-list-store.port';
import { ListDeclaration, ListType, ListValue } from '../../domain/managed-list';
import { inTransaction } from './in-transaction';
import { listenOnChannel } from './pg-channel-listener';

export const MANAGED_LISTS_CHANNEL = 'managed_lists_changed';

interface SummaryRow {
  name: string;
  types: ListType[];
  description: string;
  entries: number;
  changed_at: Date | null;
}

const summaryOf = (row: SummaryRow): ListSummary => ({
  name: row.name,
  types: row.types,
  description: row.description,
  entries: row.entries,
  changedAt: row.changed_at ?? undefined,
});

const SUMMARIES = `
  SELECT l.name, l.types, l.description,
         (SELECT count(*) FROM managed_list_entries e WHERE e.list_name = l.name)::int AS entries,
         (SELECT c.changed_at FROM managed_list_changes c WHERE c.list_name = l.name ORDER BY c.id DESC LIMIT 1) AS changed_at
    FROM managed_lists l`;

export class PostgresManagedListStore extends ManagedListStore {
  constructor(
    private readonly pool: Pool,
    /** How to open the dedicated LISTEN connection. */
    private readonly connection: PoolConfig,
  ) {
    super();
  }

  async declare(lists: readonly ListDeclaration[]): Promise<void> {
    for (const list of lists) {
      await this.pool.query(
        `INSERT INTO managed_lists (name, types, description) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET types = EXCLUDED.types, description = EXCLUDED.description
          WHERE (managed_lists.types, managed_lists.description) IS DISTINCT FROM (EXCLUDED.types, EXCLUDED.description)`,
        [list.name, list.types, list.description],
      );
    }
  }

  async summaries(): Promise<ListSummary[]> {
    const { rows } = await this.pool.query<SummaryRow>(`${SUMMARIES} ORDER BY l.name`);
    return rows.map(summaryOf);
  }

  async summary(name: string): Promise<ListSummary | undefined> {
    const { rows } = await this.pool.query<SummaryRow>(`${SUMMARIES} WHERE l.name = $1`, [name]);
    return rows[0] && summaryOf(rows[0]);
  }

  async entries(name: string, page: { limit: number; after?: string }): Promise<ListEntry[]> {
    const { rows } = await this.pool.query<{ type: ListType; value: string; reason: string; added_by: string; added_at: Date }>(
      `SELECT type, value, reason, added_by, added_at FROM managed_list_entries
        WHERE list_name = $1 AND ($2::text IS NULL OR value > $2) ORDER BY value, type LIMIT $3`,
      [name, page.after ?? null, page.limit],
    );
    return rows.map((r) => ({ type: r.type, value: r.value, reason: r.reason, addedBy: r.added_by, addedAt: r.added_at }));
  }

  async changes(name: string, limit: number): Promise<ListChange[]> {
    const { rows } = await this.pool.query<{ id: string; action: ListChange['action']; type: ListType; value: string; reason: string; changed_by: string; changed_at: Date }>(
      `SELECT id, action, type, value, reason, changed_by, changed_at FROM managed_list_changes WHERE list_name = $1 ORDER BY id DESC LIMIT $2`,
      [name, limit],
    );
    return rows.map((r) => ({ id: r.id, action: r.action, type: r.type, value: r.value, reason: r.reason, changedBy: r.changed_by, changedAt: r.changed_at }));
  }

  async add(name: string, values: readonly ListValue[], change: ListChangeRequest): Promise<ListValue[]> {
    return this.changeAndAnnounce(async (client) => {
      const { rows } = await client.query<ListValue>(
        `WITH added AS (
           INSERT INTO managed_list_entries (list_name, type, value, reason, added_by)
           SELECT $1, type, value, $4, $5 FROM unnest($2::text[], $3::text[]) AS input (type, value)
           ON CONFLICT DO NOTHING RETURNING type, value),
         logged AS (INSERT INTO managed_list_changes (list_name, action, type, value, reason, changed_by) SELECT $1, 'ADDED', type, value, $4, $5 FROM added)
         SELECT type, value FROM added`,
        [name, values.map((v) => v.type), values.map((v) => v.value), change.reason, change.by],
      );
      return { result: rows, changed: rows.length > 0 };
    });
  }

  async remove(name: string, candidates: readonly ListValue[], change: ListChangeRequest): Promise<ListValue | undefined> {
    return this.changeAndAnnounce(async (client) => {
      const { rows } = await client.query<ListValue>(
        `WITH removed AS (
           DELETE FROM managed_list_entries e USING unnest($2::text[], $3::text[]) AS c (type, value)
            WHERE e.list_name = $1 AND e.type = c.type AND e.value = c.value RETURNING e.type, e.value),
         logged AS (INSERT INTO managed_list_changes (list_name, action, type, value, reason, changed_by) SELECT $1, 'REMOVED', type, value, $4, $5 FROM removed)
         SELECT type, value FROM removed`,
        [name, candidates.map((v) => v.type), candidates.map((v) => v.value), change.reason, change.by],
      );
      return { result: rows[0], changed: rows.length > 0 };
    });
  }

  async version(): Promise<string> {
    const { rows } = await this.pool.query<{ version: string }>(`SELECT version::text FROM managed_list_state`);
    return rows[0]?.version ?? '0';
  }

  /** One REPEATABLE READ snapshot: the version read is the one the entries belong to. */
  async contents(): Promise<ListContents> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const { rows: state } = await client.query<{ version: string }>(`SELECT version::text FROM managed_list_state`);
      const { rows } = await client.query<{ list_name: string; type: ListType; value: string }>(`SELECT list_name, type, value FROM managed_list_entries`);
      const entries = new Map<string, Set<string>>();
      for (const row of rows) {
        let set = entries.get(row.list_name);
        if (!set) entries.set(row.list_name, (set = new Set()));
        set.add(listEntryKey(row.type, row.value));
      }
      return { version: state[0]?.version ?? '0', entries };
    });
  }

  onChange(listener: () => void): Promise<() => Promise<void>> {
    return listenOnChannel(this.connection, MANAGED_LISTS_CHANNEL, listener, { applicationName: 'managed-lists-listener' });
  }

  /** The change, the version it raises and the notification, in one transaction: a replica that hears of it sees it. */
  private changeAndAnnounce<T>(work: (client: PoolClient) => Promise<{ result: T; changed: boolean }>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      const { result, changed } = await work(client);
      if (changed) {
        const { rows } = await client.query<{ version: string }>(`UPDATE managed_list_state SET version = version + 1 RETURNING version::text`);
        await client.query(`SELECT pg_notify($1, $2)`, [MANAGED_LISTS_CHANNEL, rows[0]!.version]);
      }
      return result;
    });
  }
}
