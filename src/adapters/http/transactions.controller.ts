// The analyst API: the review queue, one transaction in full, and decisions.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { DecideTransaction } from '../../application/decide-transaction.use-case';
import { ReadProviderVerdicts } from '../../application/read-provider-verdicts.use-case';
import { ReviewQueue } from '../../application/review-queue.use-case';
import { approvalsAwaitingSecond, DecisionEntry } from '../../domain/decision';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal } from './analyst-auth.guard';
import { Principal } from '../../domain/analyst-role';
import { DecisionRequest, ListTransactionsQuery, QueuePageDto, TransactionDetailDto } from './analyst.dto';
import { ApiProblemResponses } from './openapi';
import { asJsonView, withRawPayload } from './json-view';
import { PathIdPipe } from './path-params';
import { caseFiltersOf } from './queue-search.dto';
import { decodeCursor, encodeCursor } from './queue-cursor';
import { GatedBy } from './request-gate';
import { integerFromQuery, StrictValidationPipe } from './validation.pipe';

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('transactions')
export class TransactionsController {
  constructor(
    private readonly queue: ReviewQueue,
    private readonly decisions: DecideTransaction,
    private readonly providerVerdicts: ReadProviderVerdicts,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The review queue: held transactions, oldest first',
    description:
      'Transactions that were held for review (PENDING_EXTERNAL_APPROVAL at some point), ordered by when they were held. ' +
      'Filter by status, direction, assignee (`me`, `none` or a name) and the search parameters (all must hold); page with `cursor`. ' +
      'With `q`, a page may hold fewer than `limit` cases although `nextCursor` is not null: each request examines a bounded part of the queue, so follow `nextCursor` until it is null.',
  })
  @ApiOkResponse({ type: QueuePageDto })
  @ApiProblemResponses(400, 401)
  async list(
    @Query(new StrictValidationPipe(ListTransactionsQuery, { limit: integerFromQuery })) query: ListTransactionsQuery,
    @CurrentPrincipal() caller: Principal,
  ): Promise<QueuePageDto> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const assignee = query.assignee === 'me' ? caller.name : query.assignee === 'none' ? null : query.assignee;
    const page = await this.queue.list({ ...caseFiltersOf(query), status: query.status, direction: query.direction, assignee, limit: query.limit ?? 50, after });
    return { items: asJsonView(page.items), nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  @Get(':transactionId')
  @ApiOperation({ summary: 'One transaction in full: payload, verdict, decision history, notifications to Toqio and their attempts' })
  @ApiOkResponse({ type: TransactionDetailDto })
  @ApiProblemResponses(400, 401, 404)
  async detail(@Param('transactionId', new PathIdPipe('transactionId')) transactionId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.sendDetail(transactionId, reply);
  }

  @Post(':transactionId/decision')
  @GatedBy(AnalystAuthGuard)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve or reject a held transaction',
    description:
      '200 with the transaction once the decision is final; a notification to Toqio is queued in the same database transaction. ' +
      '202 when an approval at or above FOUR_EYES_THRESHOLD still needs a second, different analyst. ' +
      '409 when the transaction is no longer pending (someone decided first), when another analyst\'s claim holds it (unless the caller is a supervisor), ' +
      'or when the same analyst approves twice with different reasons. The same decision sent again by its analyst (same status and reason: a retry ' +
      'after a lost answer) answers as the first did, 200 or 202, and records nothing. A decision ends the claim on the case. ' +
      'Needs the analyst role; 403 when FOUR_EYES_SECOND_ROLE asks more of the second approver than the caller has.',
  })
  @ApiBody({ type: DecisionRequest })
  @ApiOkResponse({ type: TransactionDetailDto, description: 'Decided' })
  @ApiAcceptedResponse({ type: TransactionDetailDto, description: 'First approval recorded; a second analyst must approve' })
  @ApiProblemResponses(400, 401, 404, 409)
  async decide(
    @Param('transactionId', new PathIdPipe('transactionId')) transactionId: string,
    @Body(new StrictValidationPipe(DecisionRequest)) body: DecisionRequest,
    @CurrentPrincipal() analyst: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const result = await this.decisions.byAnalyst(transactionId, analyst, body.status, body.reason.trim());
    if (result.kind === 'AWAITING_SECOND_APPROVAL') void reply.status(202);
    return this.sendDetail(transactionId, reply);
  }

  private async sendDetail(transactionId: string, reply: FastifyReply): Promise<string> {
    const [{ payloadJson, review, dueAt, overdue, ...detail }, { shadow: shadowVerdicts, live: providerVerdicts }] = await Promise.all([
      this.queue.detail(transactionId),
      this.providerVerdicts.ofTransaction(transactionId),
    ]);
    const firstApproval = firstApprovalOf(detail.decisions, detail.status);
    void reply.type('application/json; charset=utf-8');
    return withRawPayload(
      { ...detail, review: review ? { ...review, dueAt, overdue, firstApproval } : null, shadowVerdicts, providerVerdicts },
      payloadJson,
    );
  }
}

function firstApprovalOf(decisions: readonly DecisionEntry[], status: string) {
  if (status !== 'PENDING_EXTERNAL_APPROVAL') return null;
  const [first] = approvalsAwaitingSecond(decisions);
  return first ? { by: first.decidedBy, at: first.decidedAt } : null;
}
