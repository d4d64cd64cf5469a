// A monitoring provider's callback: verified by its adapter, then decided like an analyst's decision.
import { WebhookMalformedError } from '../domain/domain-error';
import { storableText } from '../domain/storable-text';
import { idRule, isUsableId } from '../domain/transaction-id';
import { MAX_REASON_LENGTH, MAX_REASONS } from '../domain/verdict';
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
    const verified = await this.provider.verifyCallback(providerName, request);
    // A provider's text is outside input whichever adapter read it (a body, or the provider's own API).
    if (!isUsableId(verified.transactionId)) throw new WebhookMalformedError(idRule('the decided transaction id'), 'transactionId');
    const decision = { ...verified, reasons: verified.reasons.slice(0, MAX_REASONS).map((reason) => storableText(reason, MAX_REASON_LENGTH)) };
    const outcome = await this.decisions.byProvider(providerName, decision, { provider: providerName, eventId: decision.eventId });
    return { transactionId: decision.transactionId, outcome };
  }
}
