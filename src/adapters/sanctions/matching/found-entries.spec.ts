import { FoundEntries } from './found-entries';

const entriesOf = (found: FoundEntries, limit: number, excluded?: (entry: number) => boolean) => {
  const { best, total } = found.best(limit, excluded);
  return { best: best.map(({ entry, name, score }) => [entry, name, score]), total };
};

describe('FoundEntries', () => {
  it("keeps each entry's best name, and on a tie the name loaded first", () => {
    const found = new FoundEntries(10);
    found.offer(3, 30, 0.91, 0.91);
    found.offer(3, 31, 0.95, 0.95);
    found.offer(3, 32, 0.93, 0.93);
    found.offer(5, 52, 0.92, 0.92);
    found.offer(5, 51, 0.92, 0.92);
    found.offer(5, 53, 0.92, 0.92);

    expect(entriesOf(found, Infinity)).toEqual({ best: [[3, 31, 0.95], [5, 51, 0.92]], total: 2 });
  });

  it('ranks best first and, between equal scores, the entry loaded first, whatever the order they were found in', () => {
    const found = new FoundEntries(10);
    for (const [entry, score] of [[7, 0.9], [2, 0.95], [4, 0.9], [9, 0.99], [1, 0.9]]) found.offer(entry, entry * 10, score, score);

    const all = entriesOf(found, Infinity);
    expect(all.best.map(([entry]) => entry)).toEqual([9, 2, 1, 4, 7]);
    // A small limit picks without sorting, and agrees with the sorted order.
    for (const limit of [0, 1, 2, 3, 4]) expect(entriesOf(found, limit)).toEqual({ best: all.best.slice(0, limit), total: 5 });
  });

  it('leaves out what `excluded` says, from the hits and from the count', () => {
    const found = new FoundEntries(10);
    for (const [entry, score] of [[1, 0.99], [2, 0.95], [3, 0.9]]) found.offer(entry, entry, score, score);

    expect(entriesOf(found, 1, (entry) => entry === 1)).toEqual({ best: [[2, 2, 0.95]], total: 2 });
    expect(entriesOf(found, Infinity, (entry) => entry !== 3)).toEqual({ best: [[3, 3, 0.9]], total: 1 });
  });

  it('forgets one query when the next begins, reusing its records', () => {
    const found = new FoundEntries(10);
    found.offer(1, 1, 0.99, 0.99);
    found.offer(2, 2, 0.95, 0.95);
    const first = found.best(1).best[0];
    found.clear();
    found.offer(2, 20, 0.91, 0.91);
    found.offer(6, 60, 0.93, 0.93);

    expect(entriesOf(found, Infinity)).toEqual({ best: [[6, 60, 0.93], [2, 20, 0.91]], total: 2 });
    expect(found.best(Infinity).best).toContain(first); // the same record, refilled

    // A later query finding more entries than any before it takes new records beside the reused ones.
    found.clear();
    for (const entry of [9, 8, 7, 1]) found.offer(entry, entry, entry / 10, entry / 10);
    found.offer(8, 80, 0.85, 0.85);
    expect(entriesOf(found, Infinity)).toEqual({ best: [[9, 9, 0.9], [8, 80, 0.85], [7, 7, 0.7], [1, 1, 0.1]], total: 4 });
  });
});
