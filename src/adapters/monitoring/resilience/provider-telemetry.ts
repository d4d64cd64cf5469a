// Every wrapped provider of this instance, their breaker states and a feed of their calls, behind the ProviderHealth port.
import { ProviderCall, ProviderHealth, ProviderStatus } from '../../../application/ports/provider-health.port';
import { CallListener, ResilientMonitoringProvider } from './resilient-monitoring.provider';

export class ProviderTelemetry extends ProviderHealth {
  private readonly registered: ResilientMonitoringProvider[] = [];
  private readonly listeners: ((call: ProviderCall) => void)[] = [];

  /** Pass to ResilientMonitoringProvider so that its calls reach the listeners. */
  readonly listener: CallListener = (provider, role, outcome, durationMs) => {
    const call: ProviderCall = { provider, role, outcome, durationMs };
    for (const listener of this.listeners) listener(call);
  };

  register(provider: ResilientMonitoringProvider): ResilientMonitoringProvider {
    this.registered.push(provider);
    return provider;
  }

  providers(): readonly ProviderStatus[] {
    return this.registered.map((provider) => provider.status());
  }

  onCall(listener: (call: ProviderCall) => void): void {
    this.listeners.push(listener);
  }
}
