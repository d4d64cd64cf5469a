// Port to analysts' claims on review cases: each change decided under the case's lock, with its event kept.
import { CaseClaim, ClaimChange, ClaimState } from '../../domain/case-claim';

export abstract class CaseClaimStore {
  /**
   * In one database transaction: locks the transaction, reads its state and the claim on record,
   * asks `rule` what to record, and records the claim and its event (nothing when the rule's
   * event is null). Two analysts claiming at once are serialised by the lock: the second sees the
   * first's claim. Whatever `rule` throws rolls everything back and is rethrown. Returns the claim
   * as it now stands. Throws TransactionNotFoundError for an unknown id.
   */
  abstract changeClaim(transactionId: string, rule: (current: ClaimState) => ClaimChange): Promise<CaseClaim | null>;
}
