// PostgreSQL implementation of the per-provider verdicts and the shadow report.
import { Pool } from 'pg';
import { ProviderVerdictRecord, ProviderVerdictStore, ShadowProviderReport, ShadowVerdictView, StatusPair } from '../../application/ports/provider-verdict-store.port';
import { ProviderRole } from '../../application/ports/provider-health.port';
import { TransactionStatus } from '../../domain/transaction-status';

// A later screening of the same transaction (late screening) replaces the earlier verdict of that provider.
const RECORD = `
  INSERT INTO provider_verdicts (transaction_id, role, provider, status, reasons, error, duration_ms, screened_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::int[], $8::timestamptz[])
  ON CONFLICT (transaction_id, role, provider) DO UPDATE
    SET status = excluded.status, reasons = excluded.reasons, error = excluded.error,
        duration_ms = excluded.duration_ms, screened_at = excluded.screened_at`;

const VERDICTS = `
  SELECT provider, status, reasons, error, duration_ms, screened_at
    FROM provider_verdicts WHERE transaction_id = $1 AND role = $2 ORDER BY screened_at, provider`;

// The live status is what validate answered: the first entry of the transaction's decision history.
const SHADOW_REPORT = `
  SELECT v.provider, d.status AS live, v.status AS shadow, count(*)::int AS count
    FROM provider_verdicts v
    LEFT JOIN transaction_decisions d ON d.transaction_id = v.transaction_id AND d.sequence = 1
   WHERE v.role = 'SHADOW'
   GROUP BY v.provider, d.status, v.status
   ORDER BY v.provider, d.status, v.status`;

export class PostgresProviderVerdictStore extends ProviderVerdictStore {
  constructor(private readonly pool: Pool) {
    super();
  }

  async record(records: readonly ProviderVerdictRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.pool.query(RECORD, [
      records.map((r) => r.transactionId),
      records.map((r) => r.role),
      records.map((r) => r.provider),
      records.map((r) => r.status),
      records.map((r) => JSON.stringify(r.reasons)),
      records.map((r) => (r.status === null ? (r.error ?? 'failed') : (r.error ?? null))),
      records.map((r) => Math.round(r.durationMs)),
      records.map((r) => r.screenedAt),
    ]);
  }

  async verdicts(transactionId: string, role: ProviderRole): Promise<readonly ShadowVerdictView[]> {
    const { rows } = await this.pool.query<{ provider: string; status: TransactionStatus | null; reasons: string[]; error: string | null; duration_ms: number; screened_at: Date }>(VERDICTS, [transactionId, role]);
    // A failed provider has no status; its error is the one reason an analyst needs to see.
    return rows.map((row) => ({
      provider: row.provider,
      status: row.status,
      reasons: row.status === null && row.error ? [`provider failed: ${row.error}`] : row.reasons,
      durationMs: row.duration_ms,
      screenedAt: row.screened_at,
    }));
  }

  async shadowReport(): Promise<readonly ShadowProviderReport[]> {
    const { rows } = await this.pool.query<{ provider: string; live: TransactionStatus | null; shadow: TransactionStatus | null; count: number }>(SHADOW_REPORT);
    const reports = new Map<string, { compared: number; agreements: number; shadowFailures: number; awaitingLive: number; pairs: StatusPair[] }>();
    for (const row of rows) {
      const report = reports.get(row.provider) ?? { compared: 0, agreements: 0, shadowFailures: 0, awaitingLive: 0, pairs: [] };
      reports.set(row.provider, report);
      if (row.shadow === null) report.shadowFailures += row.count;
      else if (row.live === null) report.awaitingLive += row.count;
      else {
        report.compared += row.count;
        if (row.live === row.shadow) report.agreements += row.count;
        report.pairs.push({ live: row.live, shadow: row.shadow, count: row.count });
      }
    }
    return [...reports].map(([provider, r]) => ({
      provider,
      compared: r.compared,
      agreements: r.agreements,
      disagreements: r.compared - r.agreements,
      shadowFailures: r.shadowFailures,
      awaitingLive: r.awaitingLive,
      pairs: r.pairs,
    }));
  }
}
