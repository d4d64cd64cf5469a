// Stored transactions for backtests, streamed in keyset pages on a connection of the backtest's own: never validate's pools, never a write.
import { Client, PoolConfig } from 'pg';
import { HistoricTransaction, TransactionHistory } from '../../application/ports/transaction-history.port';
import { Direction, JsonObject } from '../../domain/transaction';
import { TransactionStatus } from '../../domain/transaction-status';
import { TransactionColumns, transactionFrom } from './transaction-row';

export const HISTORY_PAGE = 5000;

interface HistoryRow extends TransactionColumns {
  received_at: Date;
  /** received_at as PostgreSQL writes it, microseconds kept: the page cursor (a Date keeps milliseconds only). */
  cursor_at: string;
  direction: Direction;
  payer: JsonObject | null;
  answered: TransactionStatus | null;
  rule_set_version: number | null;
}

// The first decision is what validate answered; a transaction still SCREENING has none. A fallback
// answer was given by no rule set: the version stored is a late screening's, recorded after it.
const PAGE = `
  SELECT t.id, t.received_at, t.received_at::text AS cursor_at, t.direction, t.amount::text AS amount, t.currency,
         t.source_account_id, t.customer_id, t.company_id, t.user_id, t.payment_scheme, t.reference, t.beneficiary,
         CASE WHEN t.direction = 'INBOUND' THEN t.payload -> 'payer' END AS payer,
         d.status AS answered, CASE WHEN d.source = 'FALLBACK' THEN NULL ELSE t.rule_set_version END AS rule_set_version
    FROM transactions t
    LEFT JOIN transaction_decisions d ON d.transaction_id = t.id AND d.sequence = 1
   WHERE t.received_at >= $1 AND t.received_at < $2 AND (t.received_at, t.id) > ($3::timestamptz, $4)
   ORDER BY t.received_at, t.id
   LIMIT ${HISTORY_PAGE}`;

function historicOf(row: HistoryRow): HistoricTransaction {
  // The rules read the payer of money received from the payload; nothing else of it.
  const transaction = transactionFrom(row, { direction: row.direction, attributes: row.payer ? { payer: row.payer } : {}, originalPayload: '' });
  return { transaction, receivedAt: row.received_at, answered: row.answered, answeredVersion: row.rule_set_version };
}

export class PostgresTransactionHistory extends TransactionHistory {
  constructor(private readonly connection: PoolConfig) {
    super();
  }

  async count(from: Date, to: Date): Promise<number> {
    return this.withClient(async (client) => {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM transactions WHERE received_at >= $1 AND received_at < $2`, [from, to]);
      return rows[0]!.n;
    });
  }

  /** The next page is read while this one is screened: PostgreSQL and the screening overlap. */
  async stream(from: Date, to: Date, visit: (page: readonly HistoricTransaction[]) => Promise<boolean>): Promise<void> {
    await this.withClient(async (client) => {
      const read = (after: { at: string; id: string }) => {
        const page = client.query<HistoryRow>({ text: PAGE, values: [from, to, after.at, after.id] });
        // Marked handled at once: a failure while the previous page is screened surfaces when awaited, never as an unhandled rejection.
        page.catch(() => undefined);
        return page;
      };
      let next = read({ at: '-infinity', id: '' });
      for (;;) {
        const { rows } = await next;
        if (rows.length === 0) return;
        const last = rows[rows.length - 1]!;
        const more = rows.length === HISTORY_PAGE;
        if (more) next = read({ at: last.cursor_at, id: last.id });
        const keepGoing = await visit(rows.map(historicOf));
        if (!more) return;
        if (!keepGoing) {
          await next.catch(() => undefined);
          return;
        }
      }
    });
  }

  private async withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ ...this.connection, application_name: 'rules-backtest', statement_timeout: 120_000 } as PoolConfig);
    // A lost connection fails the statement in flight, and so the job; never the process.
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query(`SET default_transaction_read_only = on`);
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
