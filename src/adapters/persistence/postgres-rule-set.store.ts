// The versioned rule sets in PostgreSQL: versions are written once, activations are logged, and an activation is announced to every replica.
import { Pool, PoolConfig } from 'pg';
import { NewRuleSet, RuleSetFormat, RuleSetStore, RuleSetVersionSummary, StoredRuleSet } from '../../application/ports/rule-set-store.port';
import { inTransaction } from './in-transaction';
import { listenOnChannel } from './pg-channel-listener';

export const RULE_SET_CHANNEL = 'rule_set_activated';
/** Serialises the numbering of new versions (pg_advisory_xact_lock key). */
const NUMBERING_LOCK = 7_654_000_001;

interface VersionRow {
  version: number;
  format: RuleSetFormat;
  created_by: string;
  created_at: Date;
  activated_by: string | null;
  activated_at: Date | null;
  active: boolean;
  source?: string;
}

const VERSIONS = (withSource: boolean) => `
  SELECT v.version, v.format, v.created_by, v.created_at, ${withSource ? 'v.source,' : ''}
         a.activated_by, a.activated_at, (v.version = s.active_version) AS active
    FROM rule_set_versions v
    LEFT JOIN rule_set_state s ON true
    LEFT JOIN LATERAL (SELECT activated_by, activated_at FROM rule_set_activations x WHERE x.version = v.version ORDER BY x.id DESC LIMIT 1) a ON true`;

function summaryOf(row: VersionRow): RuleSetVersionSummary {
  return {
    version: row.version,
    format: row.format,
    createdBy: row.created_by,
    createdAt: row.created_at,
    activatedBy: row.activated_by ?? undefined,
    activatedAt: row.activated_at ?? undefined,
    active: row.active === true,
  };
}

const storedOf = (row: VersionRow): StoredRuleSet => ({ ...summaryOf(row), source: row.source! });

export class PostgresRuleSetStore extends RuleSetStore {
  constructor(
    private readonly pool: Pool,
    /** How to open the dedicated LISTEN connection. */
    private readonly connection: PoolConfig,
  ) {
    super();
  }

  async seed(first: NewRuleSet): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [NUMBERING_LOCK]);
      const { rowCount } = await client.query(`INSERT INTO rule_set_versions (version, format, source, created_by) VALUES (1, $1, $2, $3) ON CONFLICT DO NOTHING`, [
        first.format,
        first.source,
        first.createdBy,
      ]);
      if (rowCount === 0) return;
      await client.query(`INSERT INTO rule_set_activations (version, activated_by) VALUES (1, $1)`, [first.createdBy]);
      await client.query(`INSERT INTO rule_set_state (active_version) VALUES (1)`);
    });
  }

  async create(ruleSet: NewRuleSet): Promise<StoredRuleSet> {
    const version = await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [NUMBERING_LOCK]);
      const { rows } = await client.query<{ version: number }>(
        `INSERT INTO rule_set_versions (version, format, source, created_by)
         SELECT coalesce(max(version), 0) + 1, $1, $2, $3 FROM rule_set_versions RETURNING version`,
        [ruleSet.format, ruleSet.source, ruleSet.createdBy],
      );
      return rows[0]!.version;
    });
    return (await this.get(version))!;
  }

  async activate(version: number, by: string): Promise<StoredRuleSet | undefined> {
    const found = await inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(`SELECT 1 FROM rule_set_versions WHERE version = $1`, [version]);
      if (rowCount === 0) return false;
      await client.query(`INSERT INTO rule_set_activations (version, activated_by) VALUES ($1, $2)`, [version, by]);
      await client.query(`INSERT INTO rule_set_state (active_version) VALUES ($1) ON CONFLICT (id) DO UPDATE SET active_version = EXCLUDED.active_version`, [version]);
      await client.query(`SELECT pg_notify($1, $2)`, [RULE_SET_CHANNEL, String(version)]);
      return true;
    });
    return found ? this.get(version) : undefined;
  }

  async active(): Promise<StoredRuleSet | undefined> {
    const { rows } = await this.pool.query<VersionRow>(`${VERSIONS(true)} WHERE v.version = s.active_version`);
    return rows[0] && storedOf(rows[0]);
  }

  async get(version: number): Promise<StoredRuleSet | undefined> {
    const { rows } = await this.pool.query<VersionRow>(`${VERSIONS(true)} WHERE v.version = $1`, [version]);
    return rows[0] && storedOf(rows[0]);
  }

  async versions(): Promise<RuleSetVersionSummary[]> {
    const { rows } = await this.pool.query<VersionRow>(`${VERSIONS(false)} ORDER BY v.version DESC`);
    return rows.map(summaryOf);
  }

  async activeVersion(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ active_version: number }>(`SELECT active_version FROM rule_set_state`);
    return rows[0]?.active_version;
  }

  onChange(listener: () => void): Promise<() => Promise<void>> {
    return listenOnChannel(this.connection, RULE_SET_CHANNEL, listener, { applicationName: 'rule-set-listener' });
  }
}
