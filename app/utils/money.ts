const exponents = new Map<string, number>();

/** Minor-unit exponent of a currency (2 for GBP/USD, 0 for JPY, 3 for KWD). */
export function currencyExponent(currency: string): number {
  // Building an Intl.NumberFormat costs tens of microseconds and every money
  // field of every order asks: remember the answer per currency code.
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    try {
      exponent =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = 2;
    }
    if (exponents.size < 1_000) exponents.set(currency, exponent); // bounded: codes come from payloads
  }
  return exponent;
}

/**
 * The largest amount the app handles, in minor units: 2^53 - 1, the largest
 * integer a JavaScript number holds exactly (90,071,992,547,409.91 in a
 * two-decimal currency). The database columns are 64-bit; amounts beyond this
 * bound are refused with an error rather than rounded.
 */
export const MAX_EXACT_MINOR = Number.MAX_SAFE_INTEGER;

/** A money amount that is not a decimal number, or too large to keep exactly. */
export class MoneyAmountError extends Error {
  override name = "MoneyAmountError";
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses Shopify's decimal money string ("12.50", "-3", "0.1") into integer
 * minor units without going through floating point. Throws MoneyAmountError
 * for anything else, and for amounts beyond MAX_EXACT_MINOR minor units.
 */
export function toMinor(amount: string | number | null | undefined, currency: string): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const exponent = currencyExponent(currency);
  const text = typeof amount === "number" ? numberText(amount, exponent) : String(amount).trim();
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new MoneyAmountError(`Not a money amount: ${JSON.stringify(amount)}`);
  }
  const [, sign, whole, fraction = ""] = match;
  const digits = (fraction + "0".repeat(exponent)).slice(0, exponent);
  // Round half away from zero on the first dropped digit.
  const roundUp = fraction.length > exponent && fraction.charCodeAt(exponent) >= 53 /* "5" */ ? 1 : 0;
  let value: number;
  if (whole.length + exponent <= 15) {
    // Below 10^15: plain number arithmetic is exact (the common, fast path).
    value = Number(whole || "0") * 10 ** exponent + Number(digits || "0") + roundUp;
  } else {
    const exact = BigInt(whole || "0") * 10n ** BigInt(exponent) + BigInt(digits || "0") + BigInt(roundUp);
    if (exact > BigInt(MAX_EXACT_MINOR)) {
      throw new MoneyAmountError(
        `Money amount ${text} ${currency} exceeds the largest exact amount (${MAX_EXACT_MINOR} minor units)`,
      );
    }
    value = Number(exact);
  }
  return sign === "-" && value !== 0 ? -value : value;
}

function numberText(amount: number, exponent: number): string {
  if (!Number.isFinite(amount)) throw new MoneyAmountError(`Not a money amount: ${amount}`);
  if (Math.abs(amount) * 10 ** exponent > MAX_EXACT_MINOR) {
    throw new MoneyAmountError(
      `Money amount ${amount} exceeds the largest exact amount (${MAX_EXACT_MINOR} minor units)`,
    );
  }
  return amount.toFixed(exponent);
}
