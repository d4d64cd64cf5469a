// Analysts take a pending case for a while (so that two do not work on it at once) and give it back.
import { Principal } from '../domain/analyst-role';
import { CaseClaim, claimCase, releaseCase } from '../domain/case-claim';
import { CaseClaimStore } from './ports/case-claim-store.port';

export interface ClaimPolicy {
  /** CLAIM_TTL_MINUTES: a claim lapses by itself this long after it was taken or renewed. */
  readonly ttlMinutes: number;
}

export class ClaimCase {
  private readonly now: () => Date;

  constructor(
    private readonly store: CaseClaimStore,
    private readonly policy: ClaimPolicy,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  /**
   * Takes the case, or renews one's own claim. Throws CaseClaimed while another analyst's claim
   * holds, TransactionNotPending once the case is decided (or still being screened),
   * TransactionNotFound for an unknown id.
   */
  async claim(transactionId: string, by: Principal): Promise<CaseClaim> {
    const claim = await this.store.changeClaim(transactionId, (current) => claimCase(current, by, this.now(), this.policy.ttlMinutes));
    return claim!;
  }

  /** Gives the case back: one's own claim, or anyone's for a supervisor (RoleForbidden otherwise). Nothing to release is no error. */
  async release(transactionId: string, by: Principal): Promise<void> {
    await this.store.changeClaim(transactionId, (current) => releaseCase(current, by, this.now()));
  }
}
