// Runs PushCaseAlerts in the background on every replica: each fact is marked reported with its event, so each goes once.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { PushCaseAlerts } from '../../application/push-case-alerts.use-case';
import { BackgroundLoop } from './background-loop';

export class CaseAlertsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(alerts: PushCaseAlerts, pollMs: number, onQueued: () => void) {
    this.loop = new BackgroundLoop({ name: 'CaseAlerts', pollMs }, async () => {
      if ((await alerts.runOnce()) === 0) return 'sleep';
      onQueued();
      return 'again'; // more may be waiting

    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
