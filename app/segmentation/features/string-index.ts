// Positions of distinct strings (customer ids) in a list: a hash table with
// open addressing on typed arrays. A Map of a million id strings cost about a
// second to fill (1.3 µs a key: its entries and rehashes are heap objects the
// garbage collector traces again and again); here a key costs one hash over
// its characters and a slot or two, and the table is two flat arrays.

/** FNV-1a over the UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // As an int32 (what the table stores): the offset basis alone, for "", is above 2^31.
  return h | 0;
}

export class StringIndex {
  /** The strings, in the order they were added (position = index). */
  readonly keys: string[];
  /** Per slot: position in `keys` + 1 (0 = empty). */
  private slots: Int32Array;
  /** Per slot: the key's hash (compared before the strings). */
  private hashes: Int32Array;
  private mask: number;

  constructor(expected = 16) {
    this.keys = [];
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.keys.length;
  }

  /** Position of `key`, or -1. */
  get(key: string): number {
    const h = hashOf(key);
    const slots = this.slots;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = slots[slot];
      if (v === 0) return -1;
      if (this.hashes[slot] === h && this.keys[v - 1] === key) return v - 1;
    }
  }

  /** Position of `key`, appending it when new (check `size` to tell which). */
  add(key: string): number {
    if ((this.keys.length + 1) * 2 > this.slots.length) this.grow();
    const h = hashOf(key);
    const slots = this.slots;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = slots[slot];
      if (v === 0) {
        this.keys.push(key);
        slots[slot] = this.keys.length;
        this.hashes[slot] = h;
        return this.keys.length - 1;
      }
      if (this.hashes[slot] === h && this.keys[v - 1] === key) return v - 1;
    }
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    const capacity = oldSlots.length * 2;
    this.slots = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let k = 0; k < oldSlots.length; k++) {
      const v = oldSlots[k];
      if (v === 0) continue;
      const h = oldHashes[k];
      let slot = h & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = v;
      this.hashes[slot] = h;
    }
  }
}
