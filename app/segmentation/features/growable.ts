// Append-only typed arrays that double their capacity: the accumulator keeps
// millions of per-order facts without allocating an object per order.

type TypedArray = Int32Array | Float64Array | Uint8Array | Uint16Array;
type Ctor<T extends TypedArray> = { new (length: number): T };

export class Growable<T extends TypedArray> {
  data: T;
  length = 0;
  constructor(
    private readonly ctor: Ctor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Makes sure index `n - 1` exists (zero-filled), for per-customer columns. */
  ensure(n: number): void {
    if (n > this.data.length) this.grow(n);
    if (n > this.length) this.length = n;
  }
  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new this.ctor(cap);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
  /** A trimmed copy-free view of the filled part. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
