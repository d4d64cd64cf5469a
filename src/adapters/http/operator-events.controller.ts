// Operators see the events sent to the event webhook and send a dead one again.
import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListOperatorEvents } from '../../application/list-operator-events.use-case';
import { RedeliverOperatorEvent } from '../../application/redeliver-operator-event.use-case';
import { Analyst, ANALYST_BEARER_SCHEME, AnalystAuthGuard, RequiresRole } from './analyst-auth.guard';
import { BODY_LIMITS } from './http-hardening';
import { asJsonView } from './json-view';
import { ApiProblemResponses } from './openapi';
import { ListOperatorEventsQuery, OperatorEventDto, OperatorEventPageDto, stateOf } from './operator-events.dto';
import { PathIdPipe } from './path-params';
import { GatedBy } from './request-gate';
import { integerFromQuery, StrictValidationPipe } from './validation.pipe';

@ApiTags('Operators')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('events')
export class OperatorEventsController {
  constructor(
    private readonly listEvents: ListOperatorEvents,
    private readonly redeliverEvent: RedeliverOperatorEvent,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Events for operators sent to EVENTS_WEBHOOK_URL, newest first',
    description: 'Every event queued for the event webhook, with its delivery state. `state=dead` lists those given up on, to redeliver. Page with `cursor`. Any role may read.',
  })
  @ApiOkResponse({ type: OperatorEventPageDto })
  @ApiProblemResponses(400, 401)
  async list(@Query(new StrictValidationPipe(ListOperatorEventsQuery, { limit: integerFromQuery })) query: ListOperatorEventsQuery): Promise<OperatorEventPageDto> {
    const page = await this.listEvents.execute({ state: stateOf(query), type: query.type, before: query.cursor, limit: query.limit ?? 50 });
    return asJsonView(page);
  }

  @Post(':eventId/redeliver')
  @GatedBy(AnalystAuthGuard, { bodyLimit: BODY_LIMITS.bodiless })
  @RequiresRole('admin')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a DEAD event to the event webhook again',
    description: 'Queues it again with the same id (and so the same webhook-id), a fresh maximum age and attempt count, and the caller recorded as who asked. 409 unless it is DEAD. Needs the admin role.',
  })
  @ApiAcceptedResponse({ type: OperatorEventDto })
  @ApiProblemResponses(400, 401, 404, 409)
  async redeliver(@Param('eventId', new PathIdPipe('eventId', 64)) eventId: string, @Analyst() analyst: string): Promise<OperatorEventDto> {
    return asJsonView(await this.redeliverEvent.execute(eventId, analyst));
  }
}
