// Answers of the claim routes, and the claim fields the queue and the detail carry, described for OpenAPI.
import { ApiProperty } from '@nestjs/swagger';
import { ClaimEventView } from '../../application/review-views';
import { CaseClaim } from '../../domain/case-claim';
import { JsonView } from './json-view';

export class ClaimDto implements JsonView<CaseClaim> {
  @ApiProperty({ example: 'alice', description: 'The analyst who holds the case' }) assignee!: string;
  @ApiProperty({ format: 'date-time', description: 'The claim lapses by itself then (CLAIM_TTL_MINUTES after it was taken or renewed)' }) claimedUntil!: string;
}

export class ClaimEventDto implements JsonView<ClaimEventView> {
  @ApiProperty({ enum: ['CLAIMED', 'RELEASED', 'DECIDED'], description: 'DECIDED: the claim ended with a decision (final, or a first approval handed on)' })
  action!: 'CLAIMED' | 'RELEASED' | 'DECIDED';
  @ApiProperty({ example: 'alice', description: 'Who acted: the claimant, a supervisor releasing the claim, or the decider' }) by!: string;
  @ApiProperty({ example: 'alice', description: 'Whose claim it was' }) assignee!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'For CLAIMED: until when it holds' }) claimedUntil!: string | null;
}
