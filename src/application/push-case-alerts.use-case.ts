// Tells operators about review cases: opened, overdue past the SLA, and notifications to Toqio that died; decisions are told as they are recorded.
import { caseOpened, caseOverdue, notificationDead } from '../domain/case-alerts';
import { CaseAlertSource } from './ports/case-alert-source.port';

export interface CaseAlertPolicy {
  /** PENDING_SLA_MINUTES; unset: nothing is ever overdue. */
  readonly slaMinutes?: number;
  /** A case opened longer ago than this and never reported is not reported any more. */
  readonly openedLookbackMs: number;
  /** Facts of each kind per pass. */
  readonly limit: number;
}

/**
 * One pass of the watcher, on any replica: each kind is marked as reported in the same
 * transaction that queues its event, so two replicas (or a crash and a restart) raise each once.
 * Returns how many events were queued.
 */
export class PushCaseAlerts {
  private readonly now: () => Date;

  constructor(
    private readonly source: CaseAlertSource,
    private readonly policy: CaseAlertPolicy,
    options: { readonly now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async runOnce(): Promise<number> {
    const now = this.now().getTime();
    const { slaMinutes, limit } = this.policy;
    let reported = await this.source.reportOpened(new Date(now - this.policy.openedLookbackMs), limit, (cases) => cases.map(caseOpened));
    if (slaMinutes !== undefined) {
      // Overdue means pending longer than the SLA: opened strictly before now minus the SLA, as the queue marks it.
      reported += await this.source.reportOverdue(new Date(now - slaMinutes * 60_000), limit, (cases) => cases.map((c) => caseOverdue(c, slaMinutes)));
    }
    reported += await this.source.reportDead(limit, (notifications) => notifications.map(notificationDead));
    return reported;
  }
}
