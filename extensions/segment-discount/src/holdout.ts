// Hold-out split for segment discounts: a stable share of a segment gets no
// discount, so the app can measure the discount's lift against a control group.
//
// The split must come out the same inside the Function (Wasm, no libraries)
// and in the app (which records who was held out), so this module is
// dependency-free and deterministic: no Math.random, no clock, no Intl, no
// TextEncoder (Javy's QuickJS may lack them). The app imports this very file.
//
// Position of a customer for a discount = FNV-1a 32-bit over the UTF-8 bytes of
// "<customer id>|<discount id>", then the murmur3 32-bit finalizer, divided by
// 2^32. FNV-1a mixes its last bytes only weakly into the top bits (which
// decide the split); the finalizer spreads every input bit over the whole
// word, so the split does not depend on how ids are formed or ordered.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_TO_THE_32 = 4294967296;

/** FNV-1a 32-bit hash of the UTF-8 encoding of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8Bytes(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** murmur3's 32-bit finalizer (fmix32): a bijection that gives every input bit full avalanche. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The id part used for hashing: the last path segment of a Shopify GID
 * ("gid://shopify/Customer/123" -> "123"), or the trimmed text itself. The app
 * may hold numeric ids while the Function sees GIDs; both give the same split.
 */
export function holdoutIdKey(id: string): string {
  const trimmed = id.trim();
  if (trimmed.startsWith("gid://")) {
    const tail = trimmed.slice(trimmed.lastIndexOf("/") + 1);
    const query = tail.indexOf("?");
    return query >= 0 ? tail.slice(0, query) : tail;
  }
  return trimmed;
}

/** Position of a customer in [0, 1) for one discount; stable across runs, machines and id formats. */
export function holdoutPosition(customerId: string, discountId: string): number {
  const text = `${holdoutIdKey(customerId)}|${holdoutIdKey(discountId)}`;
  return fmix32(fnv1a32(text)) / TWO_TO_THE_32;
}

/**
 * Whether the customer is in the discount's hold-out group: its position is
 * below `percentage` / 100. Percentages outside 0..100 or not finite hold out
 * nobody (the configuration validator keeps them within 0..50).
 */
export function isHeldOut(customerId: string, discountId: string, percentage: number): boolean {
  if (!Number.isFinite(percentage) || percentage <= 0 || percentage > 100) return false;
  return holdoutPosition(customerId, discountId) < percentage / 100;
}

function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    // Combine a surrogate pair into one code point; a lone surrogate is encoded as U+FFFD.
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      code = 0xfffd;
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return bytes;
}
