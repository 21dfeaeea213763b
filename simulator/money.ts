// Money in the shop's currency. The store keeps integer amounts in the
// currency's minor unit (1/100 GBP, 1 JPY, 1/1000 KWD). Shopify prints them
// two ways: GraphQL Decimal (MoneyV2.amount) in BigDecimal style with the
// exact value ("12.5", "1000.0" for JPY, "1.234" for KWD), and REST payload
// strings with exactly the currency's decimals ("12.50", "1000", "1.234").

/**
 * ISO 4217 minor units of the currencies that do not use 2 decimals (the
 * CurrencyCode enum's currencies; everything else has 2).
 */
const DECIMALS: Record<string, number> = {
  // 0 decimals
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // 3 decimals
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function currencyDecimals(currency: string): number {
  return DECIMALS[currency] ?? 2;
}

/**
 * Currency units (12.5) to minor units (1250). An amount with more decimals
 * than the currency has (12.5 JPY) is an error naming `what`, not a rounding.
 */
export function minorFromAmount(amount: number, currency: string, what: string): number {
  const decimals = currencyDecimals(currency);
  const scaled = amount * 10 ** decimals;
  const minor = Math.round(scaled);
  if (Math.abs(scaled - minor) > 1e-6) {
    throw new RangeError(`${what} ${amount} has more decimals than ${currency} allows (${decimals})`);
  }
  return minor;
}

function digits(minor: number, decimals: number): { sign: string; whole: string; fraction: string } {
  const rounded = Math.round(minor);
  const abs = Math.abs(rounded);
  const scale = 10 ** decimals;
  return {
    sign: rounded < 0 ? "-" : "",
    whole: String(Math.floor(abs / scale)),
    fraction: decimals ? String(abs % scale).padStart(decimals, "0") : "",
  };
}

/** GraphQL Decimal as Shopify prints it: "10.0", "12.5", "0.99", "1000.0" (JPY), "1.234" (KWD). */
export function decimalFromMinor(minor: number, currency: string): string {
  const { sign, whole, fraction } = digits(minor, currencyDecimals(currency));
  const trimmed = fraction.replace(/0+$/, "");
  return `${sign}${whole}.${trimmed || "0"}`;
}

/** A plain number in the same BigDecimal style (percentages: 10 -> "10.0", 12.5 -> "12.5"). */
export function decimalString(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** REST payload money: the currency's decimals exactly ("12.50", "1000", "1.234"). */
export function restMoney(minor: number, currency: string): string {
  const { sign, whole, fraction } = digits(minor, currencyDecimals(currency));
  return fraction ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

export function moneyV2(minor: number, currencyCode: string) {
  return { amount: decimalFromMinor(minor, currencyCode), currencyCode };
}

export function moneyBag(minor: number, currencyCode: string) {
  const money = moneyV2(minor, currencyCode);
  return { shopMoney: money, presentmentMoney: money };
}

/** REST `*_set`: shop and presentment money (one currency here). */
export function restPriceSet(minor: number, currency: string) {
  const money = { amount: restMoney(minor, currency), currency_code: currency };
  return { shop_money: money, presentment_money: money };
}

/**
 * Spreads an order-level discount (minor units, at most the lines' total)
 * over the lines that have none yet, in proportion to their totals; the last
 * line takes the rounding remainder, so the shares add up exactly.
 */
export function allocateDiscount(
  lines: Array<{ quantity: number; unitPriceMinor: number; discountMinor?: number }>,
  amountMinor: number,
): void {
  const open = lines.filter((l) => !l.discountMinor);
  const subtotal = open.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
  if (subtotal <= 0) return;
  const total = Math.min(amountMinor, subtotal);
  let allocated = 0;
  open.forEach((l, i) => {
    const share =
      i === open.length - 1 ? total - allocated : Math.round((total * l.quantity * l.unitPriceMinor) / subtotal);
    l.discountMinor = share;
    allocated += share;
  });
}
