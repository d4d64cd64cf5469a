// Stored payment events for analysts and operators: every verified delivery with what it did, UNPARSED ones included.
import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { ListPaymentEvents, PaymentEventPosition } from '../../application/list-payment-events.use-case';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard } from './analyst-auth.guard';
import { withRawPayload } from './json-view';
import { ApiProblemResponses } from './openapi';
import { DEFAULT_PAYMENT_EVENTS_PAGE, ListPaymentEventsQuery, PaymentEventPageDto } from './payment-events.dto';
import { decodeCursorPair, encodeCursorPair, InvalidCursorProblem, isCursorInstant } from './queue-cursor';
import { FieldError, ValidationProblem } from './problem-details';
import { instantRangeOf } from './query-instant';
import { integerFromQuery, StrictValidationPipe } from './validation.pipe';

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('payment-events')
export class PaymentEventsController {
  constructor(private readonly listEvents: ListPaymentEvents) {}

  @Get()
  @ApiOperation({
    summary: 'Payment providers\' events as stored, newest first, with what each did',
    description:
      'Every verified event of Paystack, PayTo and the platforms of PAYMENT_PLATFORMS_FILE, whether it was acted on or not: ' +
      '`outcome=UNPARSED` lists those that verified but could not be read, with the reason. Filter by provider, outcome and ' +
      'reception time [from, to); page with `cursor`. The payload is the event as kept, numbers with every digit. Any role may read.',
  })
  @ApiOkResponse({ type: PaymentEventPageDto })
  @ApiProblemResponses(400, 401)
  async list(
    @Query(new StrictValidationPipe(ListPaymentEventsQuery, { limit: integerFromQuery })) query: ListPaymentEventsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const errors: FieldError[] = [];
    const { from, to } = instantRangeOf(query, errors);
    if (errors.length > 0) throw new ValidationProblem(errors);
    const before = query.cursor === undefined ? undefined : decodePaymentEventCursor(query.cursor);
    const page = await this.listEvents.execute({ provider: query.provider, outcome: query.outcome, from, to, before, limit: query.limit ?? DEFAULT_PAYMENT_EVENTS_PAGE });
    void reply.type('application/json; charset=utf-8');
    // Each payload spliced in as the JSON text PostgreSQL holds, so that its numbers keep every digit.
    const items = page.items.map(({ payloadJson, ...event }) => withRawPayload(event, payloadJson));
    const nextCursor = page.next ? encodeCursorPair(page.next.receivedAt, page.next.id) : null;
    return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Throws InvalidCursorProblem for anything this service did not issue. */
function decodePaymentEventCursor(cursor: string): PaymentEventPosition {
  const [receivedAt, id] = decodeCursorPair(cursor);
  if (!isCursorInstant(receivedAt) || typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursorProblem();
  return { receivedAt, id };
}
