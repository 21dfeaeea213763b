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
 * Whether JSON.parse may have rounded a number of this text: only a run of 16
 * or more digits can be an integer above 2^53 (9007199254740991 has 16). A
 * cheap native scan; digits inside strings (a GID, a phone number) only make
 * the answer a conservative yes.
 */
export function mayLoseDigits(text: string): boolean {
  return /\d{16}/.test(text);
}

/**
 * A request body (UTF-8 bytes) parsed exactly. `parsed`, the same bytes
 * already parsed by JSON.parse, is returned as is when no number can have
 * lost digits: parsing with a reviver costs several times JSON.parse, and
 * Shopify's ids are mostly 13 digits today.
 */
export function parseExactJsonBytes(bytes: Uint8Array, parsed?: unknown): unknown {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return parsed !== undefined && !mayLoseDigits(text) ? parsed : parseExactJson(text);
}
