// The reconciliation API: what was screened next to what payment providers reported, as JSON or CSV.
import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { ReconcilePayments } from '../../application/reconcile-payments.use-case';
import { DEFAULT_RECONCILIATION_PAGE, MAX_RECONCILIATION_DAYS, MAX_RECONCILIATION_PAGE, reconciliationRange, ReconciliationPosition } from '../../domain/reconciliation';
import { isStorableText } from '../../domain/storable-text';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard } from './analyst-auth.guard';
import { asJsonView } from './json-view';
import { ApiProblemResponses } from './openapi';
import { FieldError, ValidationProblem } from './problem-details';
import { instantRangeOf } from './query-instant';
import { decodeCursorPair, encodeCursorPair, InvalidCursorProblem, isCursorInstant } from './queue-cursor';
import { DailyReportsDto, MAX_RECONCILIATION_KEY, ReconciliationPageDto, ReconciliationQueryDto, reconciliationCsv } from './reconciliation.dto';
import { integerFromQuery, StrictValidationPipe } from './validation.pipe';

@ApiTags('Analysts')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('reconciliation')
export class ReconciliationController {
  constructor(private readonly reconcile: ReconcilePayments) {}

  @Get()
  @ApiOperation({
    summary: 'Reconciliation: each transaction\'s monitoring decision next to what payment providers reported',
    description:
      `Transactions received in [from, to) (at most ${MAX_RECONCILIATION_DAYS} days), and money reported moved in that range with no transaction ` +
      'to cover it, that fall in at least one class: APPROVED_NOT_SETTLED (older than RECONCILIATION_SETTLE_HOURS), MOVED_UNSCREENED, ' +
      'MOVED_NOT_APPROVED, MISMATCH (amount or currency, or the provider\'s API contradicting its webhook), FAILED_AFTER_APPROVAL, REFUNDED. ' +
      `Oldest first, ${DEFAULT_RECONCILIATION_PAGE} rows a page by default (at most ${MAX_RECONCILIATION_PAGE}); page with cursor. The first page ` +
      'also carries counts per class and totals per currency (exact decimals as strings) over the whole range. With `Accept: text/csv` the ' +
      'rows come as RFC 4180 CSV and the next cursor in the `x-next-cursor` header. A read the database has not finished within 60 s is ' +
      'stopped and answered 503 with Retry-After: ask for a shorter range.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ReconciliationPageDto })
  @ApiHeader({ name: 'accept', required: false, description: '`text/csv` for CSV' })
  @ApiProblemResponses(400, 401)
  async report(
    @Query(new StrictValidationPipe(ReconciliationQueryDto, { limit: integerFromQuery })) query: ReconciliationQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReconciliationPageDto | string> {
    const errors: FieldError[] = [];
    const { from, to } = instantRangeOf(query, errors);
    if (errors.length > 0 || !from || !to) throw new ValidationProblem(errors);
    const range = reconciliationRange(from, to);
    const after = query.cursor === undefined ? undefined : decodeReconciliationCursor(query.cursor);
    const csv = accept !== undefined && /\btext\/csv\b/i.test(accept);
    // CSV carries rows only: its first page skips the summary, the costlier half of the read.
    const page = await this.reconcile.page(range, after, query.limit ?? DEFAULT_RECONCILIATION_PAGE, !csv);
    const nextCursor = page.next ? encodeReconciliationCursor(page.next) : null;
    if (csv) {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      if (nextCursor) void reply.header('x-next-cursor', nextCursor);
      return reconciliationCsv(page.items);
    }
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      settleHours: this.reconcile.settleHours,
      counts: page.summary?.counts ?? null,
      totals: page.summary ? [...page.summary.totals] : null,
      items: page.items.map((item) => ({ ...item, disagreements: [...item.disagreements], classes: [...item.classes] })),
      nextCursor,
    };
  }

  @Get('daily')
  @ApiOperation({ summary: 'The stored daily reports (one per UTC day, built by the daily job), newest first, with their counts and totals' })
  @ApiOkResponse({ type: DailyReportsDto })
  @ApiProblemResponses(401)
  async daily(): Promise<DailyReportsDto> {
    return { items: asJsonView(await this.reconcile.dailyReports(90)).map((report) => ({ ...report, totals: [...report.totals] })) };
  }
}

export function encodeReconciliationCursor(position: ReconciliationPosition): string {
  return encodeCursorPair(position.at, position.key);
}

/** Throws InvalidCursorProblem for anything this service did not issue. */
export function decodeReconciliationCursor(cursor: string): ReconciliationPosition {
  const [at, key] = decodeCursorPair(cursor);
  if (!isCursorInstant(at) || !isCursorKey(key)) throw new InvalidCursorProblem();
  return { at, key };
}

/**
 * A key a row can carry: a transaction id, or a provider's name and the key it reported, which is
 * text as stored, control characters and all (a reference with a tab in it). Anything else could
 * not be bound to the query: no NUL, no half of a surrogate pair.
 */
function isCursorKey(key: unknown): key is string {
  return typeof key === 'string' && key !== '' && isStorableText(key) && [...key].length <= MAX_RECONCILIATION_KEY;
}
