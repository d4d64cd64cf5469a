// Tallies an audit's findings and keeps those of the first broken place, to report it in full.
import { AuditProblem, Finding, ProblemKind } from './audit-chain-check';

/** Where the first problem is: an entry, or a transaction as a whole (entryId null). */
export interface BrokenPlace {
  readonly transactionId: string;
  readonly entryId: string | null;
  readonly sequence: number | null;
  readonly problems: readonly AuditProblem[];
}

/**
 * Counts every finding but keeps only those of the first broken place: the entry with the lowest
 * id (the earliest write), or failing any, the first transaction-level finding in scan order.
 */
export class Tally {
  count = 0;
  readonly byKind: Partial<Record<ProblemKind, number>> = {};
  private firstEntry: Finding[] = [];
  private firstTransaction: Finding[] = [];

  countOnly(kind: ProblemKind): void {
    this.count += 1;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
  }

  add(finding: Finding): void {
    this.countOnly(finding.kind);
    if (finding.entryId !== null) {
      const current = this.firstEntry[0]?.entryId;
      if (current === undefined || BigInt(finding.entryId) < BigInt(current!)) this.firstEntry = [finding];
      else if (current === finding.entryId) this.firstEntry.push(finding);
    } else {
      const current = this.firstTransaction[0]?.transactionId;
      if (current === undefined) this.firstTransaction = [finding];
      else if (current === finding.transactionId) this.firstTransaction.push(finding);
    }
  }

  first(): BrokenPlace | null {
    const findings = this.firstEntry.length > 0 ? this.firstEntry : this.firstTransaction;
    const head = findings[0];
    if (!head) return null;
    return {
      transactionId: head.transactionId,
      entryId: head.entryId,
      sequence: head.sequence,
      problems: findings.map(({ kind, message }) => ({ kind, message })),
    };
  }
}

