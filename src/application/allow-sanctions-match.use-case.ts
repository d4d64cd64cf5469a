// An analyst clears a sanctions hit as a false positive for one customer, so that it stops recurring.
import { SanctionsLists } from './ports/sanctions-lists.port';
import { SanctionsEntryNotFoundError } from '../domain/domain-error';
import { parseEntryReference, SanctionsAllowance } from '../domain/sanctions';

export interface AllowSanctionsMatchRequest {
  readonly customerId: string;
  /** As the hit's reason names it: `OFAC-SDN:2674`, `UN:QDi.001`, `EU:EU.27.28`, `UK:RUS0001`. */
  readonly entryId: string;
  /** The name that hit, as the transaction gave it. */
  readonly name: string;
  readonly reason: string;
  readonly analyst: string;
}

export interface AllowanceView {
  readonly id: string;
  readonly customerId: string;
  readonly entryId: string;
  readonly name: string;
  readonly reason: string;
  readonly allowedBy: string;
  readonly allowedAt: string;
}

export class AllowSanctionsMatch {
  constructor(private readonly lists: SanctionsLists) {}

  /** Records the allowance (or renews one for the same customer, entry and name); `created` says which. */
  async execute(request: AllowSanctionsMatchRequest): Promise<{ allowance: AllowanceView; created: boolean }> {
    const entry = parseEntryReference(request.entryId);
    if (!entry) throw new SanctionsEntryNotFoundError(request.entryId.split(':')[0] ?? '', request.entryId);
    const { allowance, created } = await this.lists.allow({ ...entry, customerId: request.customerId, name: request.name, reason: request.reason, allowedBy: request.analyst });
    return { allowance: viewOf(allowance), created };
  }
}

function viewOf(allowance: SanctionsAllowance): AllowanceView {
  return {
    id: allowance.id,
    customerId: allowance.customerId,
    entryId: `${allowance.source}:${allowance.entryId}`,
    name: allowance.name,
    reason: allowance.reason,
    allowedBy: allowance.allowedBy,
    allowedAt: allowance.allowedAt.toISOString(),
  };
}
