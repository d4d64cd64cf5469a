// What every payment webhook does once its credentials verify: read the event, or keep it unread with why.
import { createHash } from 'node:crypto';
import { RecordedEvent } from '../../application/ports/payment-event-store.port';
import { DomainError } from '../../domain/domain-error';
import { PaymentEvent, unparsedEvent } from '../../domain/payment-event';
import { storableText } from '../../domain/storable-text';
import { WebhookOutcome } from '../metrics/metrics-recorder';
import { PaymentEventAnswerDto } from './payment-event-answer.dto';
import { storableJson } from './storable-json';

/** A delivery whose signature or token has verified: from here on it is kept and acknowledged, whatever it holds. */
export interface VerifiedDelivery {
  readonly provider: string;
  /** The JSON document as received (without a byte order mark): what is kept when it cannot be read. */
  readonly jsonText: string;
  /** The document as parsed, where the adapter reads it from `body` (see EventDocument). */
  readonly body?: unknown;
  /** Why PostgreSQL cannot hold the document as JSON (a NUL, a lone surrogate, too deep), when it cannot. */
  readonly unstorable?: string;
  /** The event's name, as far as it can be told without reading the rest. */
  readonly eventType?: unknown;
  readonly messageId?: string;
}

const MAX_EVENT_TYPE_LENGTH = 200;
const MAX_REASON_LENGTH = 500;

/** The document an event is read from: its text (what the event keeps as its payload) and its value. */
export interface EventDocument {
  readonly jsonText: string;
  readonly body: unknown;
}

/**
 * The event `read` makes of the delivery, or, when the delivery cannot be read (`read` throws a
 * DomainError: a field missing, a shape not expected), the delivery kept as UNPARSED with the
 * reason. Only a defect of the service itself (any other error) is left to fail the request.
 * A document PostgreSQL cannot hold only for its NULs or lone surrogates is read with U+FFFD in their place
 * (storableJson): a payer's text holding one must not keep the money in the event from being
 * screened. Anything else it cannot hold (too deep, a number out of range) keeps it unread.
 */
export function readOrKeepUnread(delivery: VerifiedDelivery, read: (document: EventDocument) => PaymentEvent): PaymentEvent {
  let document: EventDocument = { jsonText: delivery.jsonText, body: delivery.body };
  if (delivery.unstorable !== undefined) {
    const cleaned = storableJson(delivery.jsonText);
    if (cleaned === undefined) return unread(delivery, delivery.unstorable);
    document = { jsonText: cleaned.text, body: cleaned.value };
  }
  try {
    return read(document);
  } catch (error) {
    if (error instanceof DomainError) return unread(delivery, error.message);
    throw error;
  }
}

function unread(delivery: VerifiedDelivery, reason: string): PaymentEvent {
  const { provider, jsonText, unstorable, eventType, messageId } = delivery;
  const name = typeof eventType === 'string' && eventType !== '' && eventType.length <= MAX_EVENT_TYPE_LENGTH ? storableText(eventType) : 'unknown';
  return unparsedEvent(
    {
      provider,
      eventType: name,
      // The same bytes again are the same event: a redelivery is a duplicate.
      dedupeKey: `unparsed:${createHash('sha256').update(jsonText).digest('hex')}`,
      messageId,
      // A document PostgreSQL cannot hold as JSON is kept whole, as base64 of its text; so is a bare
      // null, which the record's JSON would read as no payload at all.
      payloadJson: unstorable === undefined && jsonText.trim() !== 'null' ? jsonText : JSON.stringify({ base64: Buffer.from(jsonText, 'utf8').toString('base64') }),
    },
    storableText(reason, MAX_REASON_LENGTH),
  );
}

export function answerOf(event: PaymentEvent, recorded: RecordedEvent): PaymentEventAnswerDto {
  const answer = { received: true, eventId: recorded.eventId, duplicate: recorded.duplicate };
  return event.unparsedReason === undefined ? answer : { ...answer, unparsed: event.unparsedReason };
}

/** A new unread event is counted apart from one that was read; a repeat of either is a duplicate. */
export function webhookOutcomeOfAnswer(answer: PaymentEventAnswerDto): WebhookOutcome {
  if (answer.duplicate) return 'duplicate';
  return answer.unparsed === undefined ? 'accepted' : 'unparsed';
}
