import { TransactionMother } from '../../../../test/mothers/transaction.mother';
import { NewRuleSet, RuleSetStore, RuleSetVersionSummary, StoredRuleSet } from '../../../application/ports/rule-set-store.port';
import { LiveRuleSet } from './live-rule-set';
import { parseRuleSet } from './rule-set';
import { sourceAccountCount, withSourceAccountCounts } from '../../../../test/mothers/screening-context.mother';

const velocity = (windowSeconds: number) => `rules:\n  - { id: v, type: velocity, maxTransactions: 1, windowSeconds: ${windowSeconds}, status: PENDING_EXTERNAL_APPROVAL, reason: r }\n`;

/** A hand-written store: versions in an array, the active one a number. */
class FakeRuleSetStore extends RuleSetStore {
  readonly stored: StoredRuleSet[] = [];
  activeNumber?: number;

  async seed(first: NewRuleSet): Promise<void> {
    if (this.stored.length === 0) {
      await this.create(first);
      this.activeNumber = 1;
    }
  }
  async create(ruleSet: NewRuleSet): Promise<StoredRuleSet> {
    const stored = { ...ruleSet, version: this.stored.length + 1, createdAt: new Date(), active: false };
    this.stored.push(stored);
    return stored;
  }
  async activate(version: number): Promise<StoredRuleSet | undefined> {
    this.activeNumber = version;
    return this.get(version);
  }
  async active(): Promise<StoredRuleSet | undefined> {
    return this.activeNumber === undefined ? undefined : this.get(this.activeNumber);
  }
  async get(version: number): Promise<StoredRuleSet | undefined> {
    return this.stored.find((stored) => stored.version === version);
  }
  async versions(): Promise<RuleSetVersionSummary[]> {
    return [...this.stored].reverse();
  }
  async activeVersion(): Promise<number | undefined> {
    return this.activeNumber;
  }
  async onChange(): Promise<() => Promise<void>> {
    return async () => undefined;
  }
}

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const counted = withSourceAccountCounts;

describe('LiveRuleSet', () => {
  let store: FakeRuleSetStore;
  let live: LiveRuleSet;

  beforeEach(async () => {
    store = new FakeRuleSetStore();
    const text = velocity(60);
    live = new LiveRuleSet(store, { path: 'rules.yaml', text, format: 'yaml', ruleSet: parseRuleSet(text) }, quiet, 60_000);
    await live.start();
  });
  afterEach(() => live.stop());

  it('stores the file as version 1 and screens with it', () => {
    expect(store.stored.map((s) => [s.version, s.createdBy])).toEqual([[1, 'RULES_FILE']]);
    expect(live.current()).toMatchObject({ version: 1, aggregates: [sourceAccountCount(60)] });
  });

  it('follows an activation; a claim counted for the earlier version is screened by it, one counted for the new version by the new one', async () => {
    await store.create({ source: velocity(300), format: 'yaml', createdBy: 'ada' });
    await store.activate(2);
    await live.refresh();
    expect(live.current()).toMatchObject({ version: 2, aggregates: [sourceAccountCount(300)] });
    const transaction = TransactionMother.create({ sourceAccountId: 'acc-1' });
    expect(live.covering(transaction, counted({ 60: 5 })).version).toBe(1);
    expect(live.covering(transaction, counted({ 300: 5 })).version).toBe(2);
    // No source account: nothing was counted for any version, and the active one applies.
    expect(live.covering(TransactionMother.create({ sourceAccountId: undefined }), counted({})).version).toBe(2);
  });

  it('keeps the version in use when the active one cannot be read', async () => {
    await store.create({ source: 'rules: nope', format: 'yaml', createdBy: 'ada' });
    await store.activate(2);
    await live.refresh();
    expect(live.current().version).toBe(1);
  });

  it.each([
    ['an unresolved tag', 'rules:\n  - { id: !kp a, type: amount-at-least, threshold: "1", status: REJECTED, reason: r }\n'],
    ['a NUL escape in an id', 'rules:\n  - { id: "a\\0b", type: amount-at-least, threshold: "1", status: REJECTED, reason: r }\n'],
    ['a mapping that holds itself beside the rules', 'rules:\n  - { id: a, type: amount-at-least, threshold: "1", status: REJECTED, reason: r }\nx: &x { y: *x }\n'],
  ])('starts on an active version stored before %s was refused, as that release read it', async (_what, source) => {
    expect(() => parseRuleSet(source)).toThrow();
    await store.create({ source, format: 'yaml', createdBy: 'an earlier release' });
    await store.activate(2);
    const restarted = new LiveRuleSet(store, { path: 'rules.yaml', text: velocity(60), format: 'yaml', ruleSet: parseRuleSet(velocity(60)) }, quiet, 60_000);
    await restarted.start();
    try {
      expect(restarted.current()).toMatchObject({ version: 2, ruleSet: { rules: [{ type: 'amount-at-least' }] } });
    } finally {
      await restarted.stop();
    }
  });

  it('makes a version active only once the gate has readied it; a refusing gate keeps the version in use', async () => {
    const gated: string[] = [];
    let refuse = true;
    await live.gateActivations(async (next) => {
      gated.push(next.rules[0]!.type);
      if (refuse && next.rules[0]!.type === 'amount-at-least') throw new Error('not ready');
      return () => gated.push('settled');
    });
    expect(gated).toEqual(['velocity', 'settled']); // the active version passes at once
    await store.create({ source: 'rules:\n  - { id: a, type: amount-at-least, threshold: "1", status: REJECTED, reason: r }\n', format: 'yaml', createdBy: 'ada' });
    await store.activate(2);
    await live.refresh();
    expect(live.current().version).toBe(1);
    refuse = false;
    await live.refresh();
    expect(live.current().version).toBe(2);
    expect(gated).toEqual(['velocity', 'settled', 'amount-at-least', 'amount-at-least', 'settled']);
  });
});
