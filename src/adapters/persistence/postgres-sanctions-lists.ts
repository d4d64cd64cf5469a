// The loaded sanctions lists and the analysts' allowances in PostgreSQL, for the in-memory index and the allow endpoint.
import { Client, Pool, PoolConfig } from 'pg';
import { AllowanceRequest, SanctionsLists } from '../../application/ports/sanctions-lists.port';
import { SanctionsEntryNotFoundError } from '../../domain/domain-error';
import { LoadedList, SanctionsAllowance, SanctionsEntry, SanctionsSource } from '../../domain/sanctions';
import { allowanceKey } from '../sanctions/matching/name-tokens';
import { inTransaction } from './in-transaction';
import { SANCTIONS_CHANNEL } from './sanctions-list.loader';

const PAGE = 5000;

interface EntryRow {
  list_id: string;
  entry_id: string;
  kind: SanctionsEntry['kind'];
  name: string;
  aliases: string[];
  birth_dates: string[];
  countries: string[];
}

interface AllowanceRow {
  id: string;
  customer_id: string;
  source: SanctionsSource;
  entry_id: string;
  name: string;
  reason: string;
  allowed_by: string;
  allowed_at: Date;
}

const allowanceOf = (row: AllowanceRow): SanctionsAllowance => ({
  id: row.id,
  customerId: row.customer_id,
  source: row.source,
  entryId: row.entry_id,
  name: row.name,
  reason: row.reason,
  allowedBy: row.allowed_by,
  allowedAt: row.allowed_at,
});

export class PostgresSanctionsLists extends SanctionsLists {
  constructor(
    private readonly pool: Pool,
    /** How to open the dedicated LISTEN connection. */
    private readonly connection: PoolConfig,
  ) {
    super();
  }

  async version(): Promise<string> {
    const { rows } = await this.pool.query<{ lists: string | null; allowances: string }>(
      `SELECT (SELECT string_agg(id::text, ',' ORDER BY id) FROM sanctions_lists WHERE replaced_at IS NULL) AS lists,
              (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(max(allowed_at)::text, '') FROM sanctions_allowed_names) AS allowances`,
    );
    return `${rows[0].lists ?? ''}/${rows[0].allowances}`;
  }

  /** One REPEATABLE READ transaction: every page comes from the same snapshot, so a load committing meanwhile is not half seen. */
  async readEntries(visit: (source: SanctionsSource, entries: readonly SanctionsEntry[]) => Promise<void>): Promise<LoadedList[]> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const { rows: lists } = await client.query<{ id: string; source: SanctionsSource; version: string; loaded_at: Date; entry_count: number }>(
        `SELECT id, source, version, loaded_at, entry_count FROM sanctions_lists WHERE replaced_at IS NULL ORDER BY source`,
      );
      for (const list of lists) {
        let after = '';
        for (;;) {
          const { rows } = await client.query<EntryRow>(
            `SELECT list_id, entry_id, kind, name, aliases, birth_dates, countries FROM sanctions_entries
              WHERE list_id = $1 AND entry_id > $2 ORDER BY entry_id LIMIT ${PAGE}`,
            [list.id, after],
          );
          if (rows.length === 0) break;
          await visit(
            list.source,
            rows.map((r) => ({ entryId: r.entry_id, kind: r.kind, name: r.name, aliases: r.aliases, birthDates: r.birth_dates, countries: r.countries, programmes: [] })),
          );
          after = rows[rows.length - 1].entry_id;
        }
      }
      return lists.map((l) => ({ source: l.source, version: l.version, loadedAt: l.loaded_at, entries: l.entry_count }));
    });
  }

  async allowances(): Promise<SanctionsAllowance[]> {
    const { rows } = await this.pool.query<AllowanceRow>(`SELECT * FROM sanctions_allowed_names ORDER BY id`);
    return rows.map(allowanceOf);
  }

  async onChange(listener: () => void): Promise<() => Promise<void>> {
    const client = new Client({ ...this.connection, application_name: 'sanctions-listener' } as PoolConfig);
    // A lost connection only delays a reload until the next poll: never crash for it.
    client.on('error', () => undefined);
    client.on('notification', () => listener());
    await client.connect();
    await client.query(`LISTEN ${SANCTIONS_CHANNEL}`);
    return () => client.end().catch(() => undefined);
  }

  async allow(request: AllowanceRequest): Promise<{ allowance: SanctionsAllowance; created: boolean }> {
    return inTransaction(this.pool, async (client) => {
      const listed = await client.query(
        `SELECT 1 FROM sanctions_entries e JOIN sanctions_lists l ON l.id = e.list_id WHERE l.source = $1 AND l.replaced_at IS NULL AND e.entry_id = $2`,
        [request.source, request.entryId],
      );
      if (listed.rowCount === 0) throw new SanctionsEntryNotFoundError(request.source, request.entryId);
      const { rows } = await client.query<AllowanceRow & { created: boolean }>(
        `INSERT INTO sanctions_allowed_names (customer_id, source, entry_id, name, name_key, reason, allowed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (customer_id, source, entry_id, name_key)
           DO UPDATE SET name = EXCLUDED.name, reason = EXCLUDED.reason, allowed_by = EXCLUDED.allowed_by, allowed_at = now()
         RETURNING *, (xmax = 0) AS created`,
        [request.customerId, request.source, request.entryId, request.name, allowanceKey(request.name), request.reason, request.allowedBy],
      );
      await client.query(`SELECT pg_notify($1, 'allowance')`, [SANCTIONS_CHANNEL]);
      return { allowance: allowanceOf(rows[0]), created: rows[0].created };
    });
  }
}
