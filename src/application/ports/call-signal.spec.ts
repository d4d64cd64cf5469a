import { CallAbort, NEVER_ABORTED } from './call-signal';

describe('CallAbort', () => {
  it('runs each listener once, in the order added, on the first abort only', () => {
    const abort = new CallAbort();
    const heard: string[] = [];
    abort.signal.addEventListener('abort', () => heard.push('first'), { once: true });
    abort.signal.addEventListener('abort', () => heard.push('second'));
    expect(abort.signal.aborted).toBe(false);
    abort.abort();
    abort.abort();
    expect(abort.signal.aborted).toBe(true);
    expect(heard).toEqual(['first', 'second']);
  });

  it('does not run a listener removed before the abort, nor one added after it', () => {
    const abort = new CallAbort();
    const heard: string[] = [];
    const removed = () => heard.push('removed');
    abort.signal.addEventListener('abort', removed);
    abort.signal.removeEventListener('abort', removed);
    abort.abort();
    abort.signal.addEventListener('abort', () => heard.push('late'));
    expect(heard).toEqual([]);
  });

  it('runs every listener when one throws, then throws its error', () => {
    const abort = new CallAbort();
    const heard: string[] = [];
    abort.signal.addEventListener('abort', () => {
      throw new Error('listener bug');
    });
    abort.signal.addEventListener('abort', () => heard.push('after'));
    expect(() => abort.abort()).toThrow('listener bug');
    expect(heard).toEqual(['after']);
    expect(abort.signal.aborted).toBe(true);
  });

  it('is no AbortSignal: Node keeps those through young-generation collections, and this one is made per provider call', () => {
    expect(new CallAbort().signal).not.toBeInstanceOf(EventTarget);
  });
});

describe('NEVER_ABORTED', () => {
  it('is never aborted and keeps no listener, however many calls listen to it', () => {
    let ran = false;
    NEVER_ABORTED.addEventListener('abort', () => (ran = true));
    expect(NEVER_ABORTED.aborted).toBe(false);
    expect(Object.isFrozen(NEVER_ABORTED)).toBe(true);
    expect(ran).toBe(false);
  });
});
