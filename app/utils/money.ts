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
 * Parses Shopify's decimal money string ("12.50", "-3", "0.1") into integer
 * minor units without going through floating point.
 */
export function toMinor(amount: string | number | null | undefined, currency: string): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const text = typeof amount === "number" ? amount.toFixed(currencyExponent(currency)) : amount.trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`Not a money amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ""] = match;
  const exponent = currencyExponent(currency);
  const digits = (fraction + "0".repeat(exponent)).slice(0, exponent);
  // Round half away from zero on the first dropped digit.
  const roundUp = fraction.length > exponent && Number(fraction[exponent]) >= 5 ? 1 : 0;
  const value = Number(whole || "0") * 10 ** exponent + Number(digits || "0") + roundUp;
  return sign ? -value : value;
}
