// Counts every inbound webhook or provider callback by provider and outcome, whatever becomes of it.
import { DomainError } from '../../domain/domain-error';
import { MetricsRecorder, WebhookOutcome } from '../metrics/metrics-recorder';
import { WebhookSourceForbiddenProblem } from './problem-details';

/** The outcome of a refused webhook; receivers with an API key pass `bad_key` for theirs. */
export function webhookOutcomeOf(error: unknown): WebhookOutcome {
  if (error instanceof WebhookSourceForbiddenProblem) return 'forbidden_source';
  if (error instanceof DomainError) {
    switch (error.code) {
      case 'UNKNOWN_PROVIDER':
        return 'unknown_provider';
      case 'WEBHOOK_UNAUTHENTIC':
        return 'bad_signature';
      case 'WEBHOOK_MALFORMED':
        return 'malformed';
      default:
        return 'failed';
    }
  }
  return 'failed';
}

/**
 * Runs a receiver's work and counts its outcome in tm_webhook_events_total: `outcomeOf` names a
 * success (accepted or duplicate), `classify` a failure (default: webhookOutcomeOf). The error
 * is rethrown unchanged for the problem+json filter.
 */
export async function countWebhook<T>(
  metrics: MetricsRecorder,
  provider: string,
  work: () => Promise<T>,
  outcomeOf: (result: T) => WebhookOutcome,
  classify: (error: unknown) => WebhookOutcome = webhookOutcomeOf,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    metrics.webhookEvent(provider, classify(error));
    throw error;
  }
  metrics.webhookEvent(provider, outcomeOf(result));
  return result;
}
