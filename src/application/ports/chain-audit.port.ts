// Port to one transaction's audit chain as stored, checked by the same rules as `npm run audit:verify`.
import { ChainVerification } from '../audit-views';

export type { ChainEntryKind, ChainEntryView, ChainProblemView, ChainCheckpointView, ChainVerification } from '../audit-views';

export abstract class ChainAudit {
  /** The chain of one transaction with its verification; null for an unknown transaction. */
  abstract ofTransaction(transactionId: string): Promise<ChainVerification | null>;
}
