// Analysts read what each monitoring provider answered: one transaction's verdicts, and the shadow report.
import { ProviderVerdictStore, ShadowProviderReport, ShadowVerdictView } from './ports/provider-verdict-store.port';

export interface TransactionVerdicts {
  /** Each part of a combined live provider, as it answered. */
  readonly live: readonly ShadowVerdictView[];
  /** The challenger's, which never reached Toqio. */
  readonly shadow: readonly ShadowVerdictView[];
}

export class ReadProviderVerdicts {
  constructor(private readonly store: ProviderVerdictStore) {}

  async ofTransaction(transactionId: string): Promise<TransactionVerdicts> {
    const [shadow, live] = await Promise.all([this.store.verdicts(transactionId, 'SHADOW'), this.store.verdicts(transactionId, 'LIVE')]);
    return { live, shadow };
  }

  /** Every challenger ever configured, with its agreement counts. */
  shadowReport(): Promise<readonly ShadowProviderReport[]> {
    return this.store.shadowReport();
  }
}
