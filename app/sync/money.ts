/** Minor-unit exponent of a currency (2 for GBP/USD, 0 for JPY, 3 for KWD). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
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
