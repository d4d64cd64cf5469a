import { InMemoryManagedListStore } from '../../test/fakes/in-memory-managed-list-store';
import { InvalidListChangeError, ListEntryNotFoundError, ListNotFoundError } from '../domain/rules-errors';
import { ManageLists } from './manage-lists.use-case';

describe('ManageLists', () => {
  let store: InMemoryManagedListStore;
  let lists: ManageLists;

  beforeEach(async () => {
    store = new InMemoryManagedListStore();
    await store.declare([{ name: 'blocked', types: ['iban', 'account-number'], description: 'Blocked accounts' }]);
    lists = new ManageLists(store);
  });

  it('adds values in their canonical spelling, logging who, when and why; a value already listed is left alone', async () => {
    const first = await lists.add('blocked', ['gb82 west 1234 5698 7654 32', '40-47-84 70872490', 'GB82WEST12345698765432'], 'mule accounts', 'ada');
    expect(first).toEqual({
      list: 'blocked',
      added: [{ type: 'iban', value: 'GB82WEST12345698765432' }, { type: 'account-number', value: '404784/70872490' }],
      alreadyListed: [],
    });
    const again = await lists.add('blocked', ['GB82 WEST 1234 5698 7654 32'], 'again', 'bob');
    expect(again).toEqual({ list: 'blocked', added: [], alreadyListed: [{ type: 'iban', value: 'GB82WEST12345698765432' }] });
    expect(store.log.map((c) => [c.action, c.value, c.reason, c.changedBy])).toEqual([
      ['ADDED', 'GB82WEST12345698765432', 'mule accounts', 'ada'],
      ['ADDED', '404784/70872490', 'mule accounts', 'ada'],
    ]);
  });

  it('refuses the whole call when any value is unreadable, naming each, and changes nothing', async () => {
    const call = lists.add('blocked', ['GB82WEST12345698765432', 'not an account', 7], 'r', 'ada');
    await expect(call).rejects.toBeInstanceOf(InvalidListChangeError);
    await expect(call).rejects.toMatchObject({
      fieldProblems: [
        { field: 'values[1]', message: '"not an account" is none of iban, account-number' },
        { field: 'values[2]', message: '"7" must be a non-empty string' },
      ],
    });
    expect(store.log).toHaveLength(0);
  });

  it('names a value that is a mapping or a list without running anything it carries', async () => {
    const hostile = JSON.parse('[{"toString":1},[{"toString":null,"valueOf":null}]]') as unknown[];
    await expect(lists.add('blocked', hostile, 'r', 'ada')).rejects.toMatchObject({
      fieldProblems: [
        { field: 'values[0]', message: '"a mapping" must be a non-empty string' },
        { field: 'values[1]', message: '"a list" must be a non-empty string' },
      ],
    });
  });

  it('refuses more than 10,000 values at once', async () => {
    await expect(lists.add('blocked', Array.from({ length: 10_001 }, () => 'GB82WEST12345698765432'), 'r', 'ada')).rejects.toBeInstanceOf(InvalidListChangeError);
  });

  it('removes a value given in any spelling of the list\'s types, and says when the list does not hold it', async () => {
    await lists.add('blocked', ['404784/70872490'], 'r', 'ada');
    await expect(lists.remove('blocked', '40-47-84 70872490', 'cleared', 'bob')).resolves.toEqual({ list: 'blocked', removed: { type: 'account-number', value: '404784/70872490' } });
    await expect(lists.remove('blocked', '40-47-84 70872490', 'cleared', 'bob')).rejects.toBeInstanceOf(ListEntryNotFoundError);
    expect(store.log.map((c) => [c.action, c.changedBy, c.reason])).toEqual([
      ['ADDED', 'ada', 'r'],
      ['REMOVED', 'bob', 'cleared'],
    ]);
  });

  it('lists a value as each type that accepts it, and removes it as each, logging every one', async () => {
    await store.declare([{ name: 'watched', types: ['customer-id', 'source-account'], description: 'Watched' }]);
    await expect(lists.add('watched', [' acc-7 '], 'r', 'ada')).resolves.toMatchObject({ added: [{ type: 'customer-id', value: 'acc-7' }, { type: 'source-account', value: 'acc-7' }] });
    await expect(lists.remove('watched', 'acc-7', 'cleared', 'bob')).resolves.toEqual({ list: 'watched', removed: { type: 'customer-id', value: 'acc-7' } });
    await expect(lists.remove('watched', 'acc-7', 'cleared', 'bob')).rejects.toBeInstanceOf(ListEntryNotFoundError);
    expect(store.log.filter((c) => c.action === 'REMOVED').map((c) => c.type)).toEqual(['customer-id', 'source-account']);
  });

  it('knows no undeclared list', async () => {
    await expect(lists.add('nowhere', ['x'], 'r', 'ada')).rejects.toBeInstanceOf(ListNotFoundError);
    await expect(lists.list('nowhere', { limit: 10 })).rejects.toBeInstanceOf(ListNotFoundError);
  });

  it('shows a list page by page with its latest changes', async () => {
    await lists.add('blocked', ['111111 11111111', '222222 22222222', '333333 33333333'], 'r', 'ada');
    const first = await lists.list('blocked', { limit: 2 });
    expect(first).toMatchObject({ name: 'blocked', entryCount: 3, nextAfter: '222222/22222222', changes: expect.any(Array) });
    expect(first.entries.map((e) => e.value)).toEqual(['111111/11111111', '222222/22222222']);
    const second = await lists.list('blocked', { limit: 2, after: first.nextAfter! });
    expect(second).toMatchObject({ entries: [{ value: '333333/33333333', addedBy: 'ada' }], nextAfter: null });
    await expect(lists.lists()).resolves.toEqual([expect.objectContaining({ name: 'blocked', types: ['iban', 'account-number'], entryCount: 3 })]);
  });
});
