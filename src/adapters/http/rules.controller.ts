// The embedded engine's versioned rule sets: read by anyone, stored by analysts (checked, every problem named), activated by admins on every replica within a second.
import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ManageRuleSets } from '../../application/manage-rule-sets.use-case';
import { Principal } from '../../domain/analyst-role';
import { InvalidRuleSetError } from '../../domain/rules-errors';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal, RequiresRole } from './analyst-auth.guard';
import { BODY_LIMITS } from './http-hardening';
import { asJsonView } from './json-view';
import { ApiProblemResponses } from './openapi';
import { GatedBy } from './request-gate';
import { RuleSetDto, RuleSetVersionDto, versionParam } from './rules.dto';
import { AcceptsYaml } from './yaml-body';

/** A rule set is a few kilobytes; a generous one with many lists and rules stays under this. */
const RULE_SET_BODY_LIMIT = 256 * 1024;

@ApiTags('Rules')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('rules')
export class RulesController {
  constructor(private readonly ruleSets: ManageRuleSets) {}

  @Get()
  @ApiOperation({ summary: 'The active rule set', description: 'Its version, text, rules and declared lists, and who stored and activated it. Any role may read.' })
  @ApiOkResponse({ type: RuleSetDto })
  @ApiProblemResponses(401, 404)
  async active(): Promise<RuleSetDto> {
    return asJsonView(await this.ruleSets.active());
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every stored rule-set version, newest first', description: 'Any role may read.' })
  @ApiOkResponse({ type: [RuleSetVersionDto] })
  @ApiProblemResponses(401)
  async versions(): Promise<RuleSetVersionDto[]> {
    return asJsonView(await this.ruleSets.versions());
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'One stored rule-set version', description: 'Any role may read.' })
  @ApiOkResponse({ type: RuleSetDto })
  @ApiProblemResponses(400, 401, 404)
  async version(@Param('version', versionParam) version: number): Promise<RuleSetDto> {
    return asJsonView(await this.ruleSets.version(version));
  }

  @Post('versions')
  @GatedBy(AnalystAuthGuard, { bodyLimit: RULE_SET_BODY_LIMIT })
  @AcceptsYaml()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Store a new rule-set version (inactive until activated)',
    description:
      'The body is the rule set itself: YAML (`Content-Type: application/yaml`) or JSON, in the format of config/rules.yaml. It is checked as the ' +
      'engine reads it, and refused with 400 (`invalid-rule-set`) naming every problem in `errors`. Lists it declares that do not exist yet are ' +
      'created, empty. Try it on past traffic with POST /rules/backtest before activating it. Needs the analyst role.',
  })
  @ApiConsumes('application/yaml', 'application/json')
  @ApiBody({ schema: { type: 'string', example: 'rules:\n  - id: large-amount\n    type: amount-at-least\n    threshold: "5000"\n    status: PENDING_EXTERNAL_APPROVAL\n    reason: "Amount {amount} {currency}"\n' } })
  @ApiCreatedResponse({ type: RuleSetDto })
  @ApiProblemResponses(400, 401)
  async create(@Body() body: unknown, @Req() request: FastifyRequest, @CurrentPrincipal() analyst: Principal): Promise<RuleSetDto> {
    // No body at all (a bare POST): there is nothing to read, and JSON.stringify would give undefined.
    if (body === undefined) throw new InvalidRuleSetError(['ruleSet: the body is empty: send the rule set as YAML (Content-Type: application/yaml) or JSON']);
    const yaml = typeof body === 'string';
    const source = yaml ? body : (request.jsonText ?? JSON.stringify(body));
    return asJsonView(await this.ruleSets.create(source, yaml ? 'yaml' : 'json', analyst.name));
  }

  @Post('versions/:version/activate')
  @GatedBy(AnalystAuthGuard, { bodyLimit: BODY_LIMITS.bodiless })
  @RequiresRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate a stored rule-set version',
    description:
      'Every replica screens with it within a second, without a restart; each verdict records the version that gave it. The activation is logged ' +
      'with the caller and the time; activating an earlier version rolls back. Needs the admin role.',
  })
  @ApiOkResponse({ type: RuleSetDto })
  @ApiProblemResponses(400, 401, 404)
  async activate(@Param('version', versionParam) version: number, @CurrentPrincipal() admin: Principal): Promise<RuleSetDto> {
    return asJsonView(await this.ruleSets.activate(version, admin.name));
  }
}
