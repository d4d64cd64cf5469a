// Abandoning one provider call: an AbortController without an EventTarget behind it.

/**
 * What a provider call listens to for being abandoned: the part of AbortSignal that providers and
 * their HTTP client use. A real AbortSignal (a worker's shutdown, AbortSignal.timeout) fits it, and
 * so does CallAbort.
 */
export interface CallSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * One per provider call, in the place of an AbortController. Node 20 keeps every AbortSignal
 * through young-generation collections, so each one is promoted and waits for a full collection:
 * with two per remote screening (the call's budget and the provider's own timeout), a service in
 * front of an `http` engine at 500 validates a second grew its old generation by 0.8 MB a
 * scavenge, and a full collection came every 15 to 25 s; without them, 0.13 MB
 * (docs/benchmarks.md, `bench:providers`). This is a plain object that dies young.
 *
 * Like AbortSignal: each listener runs once, in the order added, on the first abort; a listener
 * added after it never runs; a listener that throws does not keep the others from running.
 */
export class CallAbort implements CallSignal {
  private listeners: (() => void)[] | undefined;
  private done = false;

  get aborted(): boolean {
    return this.done;
  }

  /** What the provider is handed: this object, seen only as something to listen to. */
  get signal(): CallSignal {
    return this;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (!listeners) return;
    let failure: { error: unknown } | undefined;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.done) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const index = this.listeners?.indexOf(listener) ?? -1;
    if (index >= 0) this.listeners!.splice(index, 1);
  }
}

/**
 * The signal handed to a provider that cannot be interrupted (see MonitoringProvider.abortable):
 * one for the whole process, never aborted, and keeping no listener.
 */
export const NEVER_ABORTED: CallSignal = Object.freeze({
  aborted: false,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
});
