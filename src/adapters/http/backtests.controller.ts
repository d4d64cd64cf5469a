// Backtests: a candidate rule set tried on stored transactions in the background, its progress and result read while and after it runs.
import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { Backtests } from '../../application/backtests.use-case';
import { Principal } from '../../domain/analyst-role';
import { EXACT_DOUBLE_DIGITS } from '../../domain/exact-double';
import { InvalidRuleSetError } from '../../domain/rules-errors';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal } from './analyst-auth.guard';
import { BacktestDto, StartBacktestRequest } from './backtests.dto';
import { holdsNumberBeyondDouble } from './json-body';
import { asJsonView } from './json-view';
import { instantRangeOf } from './query-instant';
import { ApiProblemResponses } from './openapi';
import { FieldError, ValidationProblem } from './problem-details';
import { GatedBy } from './request-gate';
import { StrictValidationPipe } from './validation.pipe';

@ApiTags('Rules')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('rules/backtest')
export class BacktestsController {
  constructor(private readonly backtests: Backtests) {}

  @Post()
  @GatedBy(AnalystAuthGuard, { bodyLimit: 300 * 1024 })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Try a rule set on stored transactions, in the background',
    description:
      'Give a stored `version` or an inline `ruleSet` (YAML text or a JSON object), and the range of arrival times [`from`, `to`). 202 with the ' +
      'job; poll GET /rules/backtest/{id}. Each transaction is screened by the candidate with the counts its velocity rules need rebuilt from ' +
      'the stored transactions, and with the managed lists and sanctions lists as they are now. Live traffic is untouched: the job reads on a ' +
      'connection of its own, in pages, and writes nothing but its own progress. Needs the analyst role.',
  })
  @ApiBody({ type: StartBacktestRequest })
  @ApiAcceptedResponse({ type: BacktestDto })
  @ApiProblemResponses(400, 401, 404)
  async start(@Body(new StrictValidationPipe(StartBacktestRequest)) body: StartBacktestRequest, @Req() request: FastifyRequest, @CurrentPrincipal() analyst: Principal): Promise<BacktestDto> {
    const problems: FieldError[] = [];
    if ((body.version === undefined) === (body.ruleSet === undefined)) problems.push({ field: 'version', message: 'give exactly one of version and ruleSet' });
    if (body.ruleSet !== undefined && (typeof body.ruleSet !== 'string' && (typeof body.ruleSet !== 'object' || body.ruleSet === null || Array.isArray(body.ruleSet)))) {
      problems.push({ field: 'ruleSet', message: 'ruleSet must be YAML text or a JSON object' });
    }
    const { from, to } = instantRangeOf(body, problems);
    if (problems.length > 0 || !from || !to) throw new ValidationProblem(problems);
    // A rule set given as a JSON object reaches here parsed, its numbers doubles already: one the
    // double did not keep as written is refused, as POST /rules/versions refuses it (read-yaml.ts).
    if (typeof body.ruleSet === 'object' && request.jsonText !== undefined && holdsNumberBeyondDouble(request.jsonText)) {
      throw new InvalidRuleSetError([`ruleSet: a number in it has more than ${EXACT_DOUBLE_DIGITS} significant digits, which a number cannot hold exactly: write it as a string`]);
    }
    const ruleSet = body.ruleSet === undefined ? undefined : typeof body.ruleSet === 'string' ? body.ruleSet : JSON.stringify(body.ruleSet);
    return asJsonView(await this.backtests.start({ version: body.version, ruleSet, from, to }, analyst.name));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A backtest: its progress, and its result once DONE', description: 'Any role may read.' })
  @ApiOkResponse({ type: BacktestDto })
  @ApiProblemResponses(401, 404)
  async get(@Param('id') id: string): Promise<BacktestDto> {
    return asJsonView(await this.backtests.get(id));
  }
}
