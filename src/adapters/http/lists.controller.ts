// The rules engine's managed lists: analysts read them, admins add and remove entries with a reason; validate sees a change within a second.
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ManageLists } from '../../application/manage-lists.use-case';
import { LIST_NAME } from '../../domain/managed-list';
import { Principal } from '../../domain/analyst-role';
import { ANALYST_BEARER_SCHEME, AnalystAuthGuard, CurrentPrincipal, RequiresRole } from './analyst-auth.guard';
import { asJsonView } from './json-view';
import { AddListEntriesRequest, ListChangeResultDto, ListDetailDto, ListDetailQuery, ListDto, ListRemovalResultDto, RemoveListEntryRequest } from './lists.dto';
import { ApiProblemResponses } from './openapi';
import { ValidationProblem } from './problem-details';
import { GatedBy } from './request-gate';
import { integerFromQuery, StrictValidationPipe } from './validation.pipe';

/** 10,000 values of up to 200 characters, quoted and separated, and a reason. */
export const LIST_CHANGE_BODY_LIMIT = 2_200 * 1024;

const listName = {
  transform(value: string): string {
    if (!LIST_NAME.test(value)) throw new ValidationProblem([{ field: 'name', message: 'a list name is lower-case letters, digits and hyphens, at most 63' }]);
    return value;
  },
};

@ApiTags('Rules')
@ApiBearerAuth(ANALYST_BEARER_SCHEME)
@UseGuards(AnalystAuthGuard)
@Controller('lists')
export class ListsController {
  constructor(private readonly lists: ManageLists) {}

  @Get()
  @ApiOperation({ summary: 'The managed lists the rule sets declare', description: 'Each with its types, entry count and latest change. Any role may read.' })
  @ApiOkResponse({ type: [ListDto] })
  @ApiProblemResponses(401)
  async all(): Promise<ListDto[]> {
    return asJsonView(await this.lists.lists());
  }

  @Get(':name')
  @ApiOperation({
    summary: 'One managed list: its entries (paged, in value order) and its latest changes',
    description: 'Every entry with who added it, when and why; the latest 50 changes (added and removed, with who, when and why). Any role may read.',
  })
  @ApiOkResponse({ type: ListDetailDto })
  @ApiProblemResponses(400, 401, 404)
  async one(
    @Param('name', listName) name: string,
    @Query(new StrictValidationPipe(ListDetailQuery, { limit: integerFromQuery })) query: ListDetailQuery,
  ): Promise<ListDetailDto> {
    return asJsonView(await this.lists.list(name, { limit: query.limit ?? 100, after: query.after }));
  }

  @Post(':name/entries')
  @GatedBy(AnalystAuthGuard, { bodyLimit: LIST_CHANGE_BODY_LIMIT })
  @RequiresRole('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add values to a managed list',
    description:
      'At most 10,000 values a call. Each is listed as every one of the list\'s types that accepts it, stored canonically (an IBAN without spaces, in capitals); ' +
      'one unreadable value refuses the whole call (400 naming each). Values already listed are left as they were. Every value added is logged with the caller, ' +
      'the time and the reason, and validate on every replica sees it within a second. Needs the admin role.',
  })
  @ApiBody({ type: AddListEntriesRequest })
  @ApiOkResponse({ type: ListChangeResultDto })
  @ApiProblemResponses(400, 401, 404)
  async add(
    @Param('name', listName) name: string,
    @Body(new StrictValidationPipe(AddListEntriesRequest)) body: AddListEntriesRequest,
    @CurrentPrincipal() admin: Principal,
  ): Promise<ListChangeResultDto> {
    return asJsonView(await this.lists.add(name, body.values, body.reason.trim(), admin.name));
  }

  @Delete(':name/entries/:value')
  @GatedBy(AnalystAuthGuard)
  @RequiresRole('admin')
  @ApiOperation({
    summary: 'Remove a value from a managed list',
    description:
      'The value (URL-encoded) in any spelling the list\'s types accept; it goes as every type the list holds it as. The reason comes in the body `{ "reason": "..." }`. The removal is logged ' +
      'with the caller, the time and the reason, and validate on every replica sees it within a second. 404 when the list does not hold it. Needs the admin role.',
  })
  @ApiBody({ type: RemoveListEntryRequest })
  @ApiOkResponse({ type: ListRemovalResultDto })
  @ApiProblemResponses(400, 401, 404)
  async remove(
    @Param('name', listName) name: string,
    @Param('value') value: string,
    @Body(new StrictValidationPipe(RemoveListEntryRequest)) body: RemoveListEntryRequest,
    @CurrentPrincipal() admin: Principal,
  ): Promise<ListRemovalResultDto> {
    return asJsonView(await this.lists.remove(name, value, body.reason.trim(), admin.name));
  }
}
