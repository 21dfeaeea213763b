// One ArrayBuffer for many columns (concatFeatureTables, concatFitColumns).

/**
 * Typed arrays carved out of one ArrayBuffer. V8 starts a full garbage
 * collection whenever off-heap (ArrayBuffer) memory has grown by some tens
 * of MB: allocated one by one, the thirty-odd columns of two 500,000-customer
 * tables (some 330 MB) cost about four full collections of the heap per call
 * (--trace-gc: 250-420 ms each); in one allocation about one (~50 ms).
 */
export class Slab {
  private readonly buffer: ArrayBuffer;
  private at = 0;
  /** Bytes taken by `length` elements of `size` bytes (8-aligned, like every array's start). */
  static bytes(length: number, size: number): number {
    return align8(length * size);
  }
  constructor(
    bytes: number,
    private readonly what: string,
  ) {
    this.buffer = new ArrayBuffer(bytes);
  }
  private take(length: number, size: number): number {
    const at = this.at;
    this.at += Slab.bytes(length, size);
    return at;
  }
  float64(length: number): Float64Array {
    return new Float64Array(this.buffer, this.take(length, 8), length);
  }
  int32(length: number): Int32Array {
    return new Int32Array(this.buffer, this.take(length, 4), length);
  }
  uint16(length: number): Uint16Array {
    return new Uint16Array(this.buffer, this.take(length, 2), length);
  }
  uint8(length: number): Uint8Array {
    return new Uint8Array(this.buffer, this.take(length, 1), length);
  }
  assertFull(): void {
    if (this.at !== this.buffer.byteLength) throw new Error(`${this.what}: column sizes miscounted`);
  }
}

export function align8(n: number): number {
  return (n + 7) & ~7;
}
