import { AllowanceRequest, SanctionsLists } from './ports/sanctions-lists.port';
import { AllowSanctionsMatch } from './allow-sanctions-match.use-case';
import { SanctionsEntryNotFoundError } from '../domain/domain-error';
import { LoadedList, SanctionsAllowance } from '../domain/sanctions';

/** Knows one entry; records what it is asked to allow. */
class FakeSanctionsLists extends SanctionsLists {
  readonly allowed: AllowanceRequest[] = [];
  async version(): Promise<string> {
    return '';
  }
  async readEntries(): Promise<LoadedList[]> {
    return [];
  }
  async allowances(): Promise<SanctionsAllowance[]> {
    return [];
  }
  async onChange(): Promise<() => Promise<void>> {
    return async () => undefined;
  }
  async allow(request: AllowanceRequest): Promise<{ allowance: SanctionsAllowance; created: boolean }> {
    if (request.source !== 'OFAC-SDN' || request.entryId !== '2674') throw new SanctionsEntryNotFoundError(request.source, request.entryId);
    this.allowed.push(request);
    return { allowance: { ...request, id: String(this.allowed.length), allowedAt: new Date('2026-12-01T08:00:00Z') }, created: this.allowed.length === 1 };
  }
}

describe('AllowSanctionsMatch', () => {
  it('records who allowed which entry for which customer and name, and why', async () => {
    const lists = new FakeSanctionsLists();
    const result = await new AllowSanctionsMatch(lists).execute({ customerId: 'c-1', entryId: 'OFAC-SDN:2674', name: 'Saddam Hussain', reason: 'a plumber in Leeds', analyst: 'alice' });
    expect(result).toEqual({
      created: true,
      allowance: { id: '1', customerId: 'c-1', entryId: 'OFAC-SDN:2674', name: 'Saddam Hussain', reason: 'a plumber in Leeds', allowedBy: 'alice', allowedAt: '2026-12-01T08:00:00.000Z' },
    });
    expect(lists.allowed).toEqual([{ customerId: 'c-1', source: 'OFAC-SDN', entryId: '2674', name: 'Saddam Hussain', reason: 'a plumber in Leeds', allowedBy: 'alice' }]);
  });

  it.each(['2674', 'INTERPOL:1', 'UN:', 'OFAC-SDN:9'])('refuses %j, which names no loaded entry, recording nothing', async (entryId) => {
    const lists = new FakeSanctionsLists();
    await expect(new AllowSanctionsMatch(lists).execute({ customerId: 'c-1', entryId, name: 'n', reason: 'r', analyst: 'alice' })).rejects.toThrow(SanctionsEntryNotFoundError);
    expect(lists.allowed).toEqual([]);
  });
});
