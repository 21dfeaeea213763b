// JSON without losing digits. Shopify's REST payloads carry ids as JSON
// numbers, and ids can exceed 2^53 (Shopify's own 2026-04 samples do:
// "order_id": 820982911946154508); JSON.parse rounds those to the nearest
// double, silently giving another order's id. Pure: text in, values out.

/**
 * Parses JSON like JSON.parse, except that integers beyond
 * Number.MAX_SAFE_INTEGER come back as bigints with their exact digits
 * (read from the source text through the reviver's context, Node 22+). Other
 * numbers are ordinary numbers. Throws SyntaxError for text that is not JSON.
 */
export function parseExactJson(text: string): unknown {
  return JSON.parse(text, exactIntegers);
}

function exactIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined) {
    const source = context.source;
    // An integer written without a fraction or exponent: keep its digits.
    if (/^-?\d+$/.test(source)) return BigInt(source);
  }
  return value;
}

/**
 * Whether a value parsed by JSON.parse holds a number that may have lost
 * digits: one beyond 2^53 in magnitude (every such double is an integer, and
 * its neighbours are more than 1 apart). A walk over the parsed values, a few
 * microseconds for an order payload.
 */
export function mayHaveLostDigits(value: unknown, depth = 0): boolean {
  if (typeof value === "number") return Math.abs(value) > Number.MAX_SAFE_INTEGER;
  if (value === null || typeof value !== "object" || depth > 64) return depth > 64;
  if (Array.isArray(value)) {
    for (const item of value) if (mayHaveLostDigits(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (mayHaveLostDigits((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * A request body (UTF-8 bytes) parsed exactly. `parsed`, the same bytes
 * already parsed by JSON.parse, is returned as is when none of its numbers can
 * have lost digits: parsing with a reviver costs several times JSON.parse, and
 * Shopify's ids are mostly 13 digits today.
 */
export function parseExactJsonBytes(bytes: Uint8Array, parsed?: unknown): unknown {
  if (parsed !== undefined && !mayHaveLostDigits(parsed)) return parsed;
  return parseExactJson(new TextDecoder("utf-8", { fatal: false }).decode(bytes));
}
