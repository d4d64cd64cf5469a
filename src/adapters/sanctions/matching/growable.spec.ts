import { growableFloat64, growableInt32, growableUint8 } from './growable';

describe('Growable', () => {
  it('keeps every number pushed, in order, across growths', () => {
    const values = growableInt32(2);
    for (let i = 0; i < 1_000; i++) values.push(i * 3 - 500);
    expect(values.length).toBe(1_000);
    expect(Array.from(values.toArray())).toEqual(Array.from({ length: 1_000 }, (_, i) => i * 3 - 500));
  });

  it('gives an array of exactly the length pushed, and an empty one when nothing was', () => {
    const values = growableUint8(16);
    values.push(1);
    values.push(255);
    expect(values.toArray()).toEqual(Uint8Array.of(1, 255));
    expect(growableInt32().toArray()).toEqual(new Int32Array(0));
  });

  it('keeps doubles exactly where the array holds them', () => {
    const keys = growableFloat64(1);
    const big = 2 ** 32 * 2 ** 21 - 1; // a 32-bit hash beside a 21-bit token id, as the edit table packs them
    keys.push(big);
    keys.push(0.5);
    expect(Array.from(keys.toArray())).toEqual([big, 0.5]);
  });

  it('gives a copy: what is pushed after does not change an array already taken', () => {
    const values = growableInt32(8);
    values.push(7);
    const taken = values.toArray();
    values.push(8);
    expect(taken).toEqual(Int32Array.of(7));
    expect(values.toArray()).toEqual(Int32Array.of(7, 8));
  });
});
