// A hash table from numeric ids (Shopify's numeric customer ids, below 2^53)
// to small integers, with open addressing on a typed array. Looking up five
// million ids in a Map of a million keys costs seconds (a chain of pointers
// per lookup, strings compared by content); here a slot holds its key and
// its value side by side, so a lookup is one cache line (two when the probe
// crosses into the next), where separate key and value arrays cost a miss in
// each (docs/performance.md, 2026-12-07 from 12:39).
export class NumericIdTable {
  /** slots[2k]: the key of slot k (NaN: empty); slots[2k + 1]: its value. */
  private slots: Float64Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = emptySlots(capacity);
    this.mask = capacity - 1;
  }

  /** The value stored for `id`, or -1. */
  get(id: number): number {
    const slots = this.slots;
    for (let slot = hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slots[2 * slot];
      if (k === id) return slots[2 * slot + 1];
      if (k !== k) return -1; // NaN: empty slot
    }
  }

  /** Stores `value` (>= 0) for `id`, replacing any previous value. */
  set(id: number, value: number): void {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`NumericIdTable: not a numeric id: ${id}`);
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots;
    for (let slot = hash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slots[2 * slot];
      if (k === id) {
        slots[2 * slot + 1] = value;
        return;
      }
      if (k !== k) {
        slots[2 * slot] = id;
        slots[2 * slot + 1] = value;
        this.size++;
        return;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = emptySlots(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] === old[i]) this.set(old[i], old[i + 1]);
  }
}

/** `capacity` empty slots (keys NaN). */
function emptySlots(capacity: number): Float64Array {
  const slots = new Float64Array(capacity * 2);
  for (let i = 0; i < slots.length; i += 2) slots[i] = Number.NaN;
  return slots;
}

/** Mixes both 26/27-bit halves of the id (ids share their high digits). */
function hash(id: number): number {
  const lo = (id % 0x4000000) | 0;
  const hi = (id / 0x4000000) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1) >>> 7;
}
