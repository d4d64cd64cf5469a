// Everything recorded about one case, in one document, with its chain verified: evidence for a regulator or an audit.
import { TransactionNotFoundError } from '../domain/domain-error';
import { ChainAudit, ChainVerification } from './ports/chain-audit.port';
import { ProviderVerdictStore, ShadowVerdictView } from './ports/provider-verdict-store.port';
import { ReviewReadModel, TransactionDetail } from './ports/review-read-model.port';

export interface Evidence {
  readonly generatedAt: Date;
  /** The transaction as the detail shows it: payload (as JSON text), screening, review, decisions, notes, attachments, notifications, payment events. */
  readonly detail: TransactionDetail;
  readonly providerVerdicts: readonly ShadowVerdictView[];
  readonly shadowVerdicts: readonly ShadowVerdictView[];
  readonly chain: ChainVerification;
}

export class EvidencePack {
  private readonly now: () => Date;

  constructor(
    private readonly readModel: ReviewReadModel,
    private readonly verdicts: ProviderVerdictStore,
    private readonly chains: ChainAudit,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  async of(transactionId: string): Promise<Evidence> {
    // The chain is read after the detail: an entry written in between is verified, never missing from the chain.
    const [detail, live, shadow] = await Promise.all([this.readModel.findDetail(transactionId), this.verdicts.verdicts(transactionId, 'LIVE'), this.verdicts.verdicts(transactionId, 'SHADOW')]);
    const chain = detail ? await this.chains.ofTransaction(transactionId) : null;
    if (!detail || !chain) throw new TransactionNotFoundError(transactionId);
    return { generatedAt: this.now(), detail, providerVerdicts: live, shadowVerdicts: shadow, chain };
  }
}
