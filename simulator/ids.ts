// Exact resource ids. Shopify's numeric ids can exceed 2^53 (its own 2026-04
// sample payloads do), which a JavaScript number cannot hold. The store keeps
// small "local" ids in Float64 columns; each shop has an id base (0 unless
// createShop gives one) and shows base + local everywhere: GIDs, REST `id`s,
// legacyResourceId. Ids above Number.MAX_SAFE_INTEGER are bigints in
// payload objects and raw digits in their JSON (see exact-json.ts).

/** A REST id: a number while it is exact, a bigint above 2^53. */
export type ExactId = number | bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class IdSpace {
  constructor(readonly base: bigint = 0n) {
    if (base < 0n) throw new RangeError("An id base cannot be negative");
  }

  /** The id Shopify would show for a local id. */
  external(local: number): ExactId {
    if (this.base === 0n) return local;
    const value = this.base + BigInt(local);
    return value <= MAX_SAFE ? Number(value) : value;
  }

  text(local: number): string {
    return this.base === 0n ? String(local) : (this.base + BigInt(local)).toString();
  }

  gid(type: string, local: number): string {
    return `gid://shopify/${type}/${this.text(local)}`;
  }

  /** The local id of an external id (digits, number or bigint); null when it is not one of this shop's. */
  localOf(external: string | number | bigint): number | null {
    let value: bigint;
    try {
      value = typeof external === "bigint" ? external : BigInt(external);
    } catch {
      return null;
    }
    const local = value - this.base;
    return local < 0n || local > MAX_SAFE ? null : Number(local);
  }

  /**
   * An external id as a number comparable with local ids in search filters:
   * ids below the shop's range compare as -1, ids above it as +Infinity.
   */
  comparable(digits: string): number {
    const local = BigInt(digits) - this.base;
    if (local < 0n) return -1;
    return local > MAX_SAFE ? Number.POSITIVE_INFINITY : Number(local);
  }

  /** Parses `gid://shopify/Type/123`; local is null when the number is outside this shop's ids. */
  parseGid(value: string): { type: string; local: number | null } | null {
    const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
    if (!match) return null;
    return { type: match[1], local: this.localOf(match[2]) };
  }

  /** The local id of a GID of the given type, or null. */
  localFromGid(value: string, type: string): number | null {
    const parsed = this.parseGid(value);
    return parsed && parsed.type === type ? parsed.local : null;
  }
}
