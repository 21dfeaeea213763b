// A hash table from numeric ids (Shopify's numeric customer ids, below 2^53)
// to small integers, with open addressing on typed arrays. Looking up five
// million ids in a Map of a million keys costs seconds (a chain of pointers
// per lookup, strings compared by content); here a lookup is one or two
// cache lines.
export class NumericIdTable {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(Number.NaN);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The value stored for `id`, or -1. */
  get(id: number): number {
    const keys = this.keys;
    for (let slot = hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === id) return this.values[slot];
      if (k !== k) return -1; // NaN: empty slot
    }
  }

  /** Stores `value` (>= 0) for `id`, replacing any previous value. */
  set(id: number, value: number): void {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`NumericIdTable: not a numeric id: ${id}`);
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    for (let slot = hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === id) {
        this.values[slot] = value;
        return;
      }
      if (k !== k) {
        keys[slot] = id;
        this.values[slot] = value;
        this.size++;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2).fill(Number.NaN);
    this.values = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] === keys[i]) this.set(keys[i], values[i]);
  }
}

/** Mixes both 26/27-bit halves of the id (ids share their high digits). */
function hash(id: number): number {
  const lo = (id % 0x4000000) | 0;
  const hi = (id / 0x4000000) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> 7;
}
