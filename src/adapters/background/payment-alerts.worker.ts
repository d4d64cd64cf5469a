// Runs PushPaymentAlerts in the background on every replica: the outbox's (type, dedupe key) makes each alert go once.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { PushPaymentAlerts } from '../../application/push-payment-alerts.use-case';
import { BackgroundLoop } from './background-loop';

export class PaymentAlertsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(alerts: PushPaymentAlerts, pollMs: number) {
    // A full page may leave more behind (a burst, or a replica back after an outage): go on at once.
    this.loop = new BackgroundLoop({ name: 'PaymentAlerts', pollMs }, async () => ((await alerts.runOnce()).more ? 'again' : 'sleep'));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
