// A typed array that grows as numbers are pushed: what the index builders collect while a list is read.
//
// Why not a plain array: the builders run for seconds while the lists are read, so their arrays of
// millions of numbers outlive young-generation collections and end up in the old generation, where
// they stay as garbage once the index is built (about 100 MB at 1,000,000 names), and every scavenge
// of the service's larger heap then takes longer. A typed array keeps its numbers outside the heap.

type NumberArray = Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

export class Growable<T extends NumberArray> {
  private data: T;
  private size = 0;

  constructor(
    private readonly make: (length: number) => T,
    initialLength = 1024,
  ) {
    this.data = make(Math.max(1, initialLength));
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const larger = this.make(this.data.length * 2);
      larger.set(this.data as never);
      this.data = larger;
    }
    this.data[this.size++] = value;
  }

  /** The numbers pushed, in an array of exactly that length (a copy: the spare room is not kept). */
  toArray(): T {
    return this.data.slice(0, this.size) as T;
  }
}

export const growableInt32 = (initialLength?: number) => new Growable((length) => new Int32Array(length), initialLength);
export const growableUint8 = (initialLength?: number) => new Growable((length) => new Uint8Array(length), initialLength);
export const growableUint32 = (initialLength?: number) => new Growable((length) => new Uint32Array(length), initialLength);
export const growableFloat64 = (initialLength?: number) => new Growable((length) => new Float64Array(length), initialLength);
