// A monitoring provider's callback: verified by its adapter, then decided like an analyst's decision.
import { DecideTransaction, ProviderDecisionResult } from './decide-transaction.use-case';
import { CallbackCredentials, CallbackRequest, MonitoringProvider } from './ports/monitoring-provider.port';

export interface CallbackOutcome {
  readonly transactionId: string;
  readonly outcome: ProviderDecisionResult;
}

export class ReceiveProviderCallback {
  constructor(
    private readonly provider: MonitoringProvider,
    private readonly decisions: DecideTransaction,
  ) {}

  /** Throws UnknownProvider or WebhookUnauthentic; cheap enough to run before the body is parsed. */
  authenticate(providerName: string, request: CallbackCredentials): void {
    this.provider.authenticateCallback(providerName, request);
  }

  /**
   * Throws UnknownProvider, WebhookUnauthentic or WebhookMalformed before anything is recorded,
   * and TransactionNotFound for a transaction this service never saw.
   */
  async execute(providerName: string, request: CallbackRequest): Promise<CallbackOutcome> {
    const decision = await this.provider.verifyCallback(providerName, request);
    const outcome = await this.decisions.byProvider(providerName, decision, { provider: providerName, eventId: decision.eventId });
    return { transactionId: decision.transactionId, outcome };
  }
}
