// Exact decimal arithmetic for the Function's money. Shopify passes amounts
// as Decimal strings ("29.99") in the cart's (presentment) currency, and
// `presentmentCurrencyRate` converts the shop's currency into it. The
// configuration holds amounts in the shop's currency; fixed amounts sent back
// must be in the cart's currency, rounded to that currency's minor unit (JPY
// has none: 751.25 yen is sent as "751"). BigInt keeps every step exact;
// floating point would turn 1.005 * 100 into 100.49999.

/** A decimal number: `units` / 10^`scale`. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
const MAX_DIGITS = 30;

/**
 * A Decimal from a string ("12.50", "-3") or a finite number (12.5), or null
 * when the value is not a plain decimal (exponents, "1,5", "", NaN, objects).
 */
export function parseDecimal(value: unknown): Decimal | null {
  let text: string;
  if (typeof value === "string") text = value.trim();
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else return null;
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  if (whole.length + fraction.length > MAX_DIGITS) return null;
  const units = BigInt(`${whole}${fraction}`);
  return { units: sign === "-" ? -units : units, scale: fraction.length };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const left = a.units * 10n ** BigInt(scale - a.scale);
  const right = b.units * 10n ** BigInt(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `value` rounded to `scale` decimal places, halves away from zero (commercial rounding). */
export function roundDecimal(value: Decimal, scale: number): Decimal {
  if (value.scale <= scale) return { units: value.units * 10n ** BigInt(scale - value.scale), scale };
  const divisor = 10n ** BigInt(value.scale - scale);
  const negative = value.units < 0n;
  const magnitude = negative ? -value.units : value.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return { units: negative ? -quotient : quotient, scale };
}

/** Plain decimal text with exactly `value.scale` decimal places ("751", "12.50", "-0.05"). */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, "0");
  const whole = value.scale === 0 ? digits : digits.slice(0, digits.length - value.scale);
  const fraction = value.scale === 0 ? "" : `.${digits.slice(digits.length - value.scale)}`;
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

export function isPositive(value: Decimal): boolean {
  return value.units > 0n;
}

// Decimal places of the currencies in the Function schema's CurrencyCode that
// do not have two: CLDR's currency digits, which is what Intl.NumberFormat
// (and so the app, app/utils/money.ts) uses; CLDR drops
// fractions nobody pays with (HUF, IDR, IQD: 0) where ISO 4217 keeps them. A
// test compares this table with Intl for every enum value. Intl itself is not
// used because Javy's QuickJS has no Intl.
const MINOR_UNITS: Readonly<Record<string, number>> = {
  AFN: 0,
  ALL: 0,
  BIF: 0,
  CLP: 0,
  COP: 0,
  DJF: 0,
  GNF: 0,
  HUF: 0,
  IDR: 0,
  IQD: 0,
  IRR: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  LAK: 0,
  LBP: 0,
  MGA: 0,
  MMK: 0,
  PKR: 0,
  PYG: 0,
  RWF: 0,
  SLL: 0,
  SOS: 0,
  SYP: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  YER: 0,
  BHD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Decimal places of a currency's minor unit: JPY 0, USD 2, KWD 3. */
export function currencyMinorUnits(currencyCode: string): number {
  return MINOR_UNITS[currencyCode] ?? 2;
}

/**
 * An amount in the shop's currency converted into the cart's currency with
 * `presentmentCurrencyRate`, rounded to the cart currency's minor unit.
 */
export function shopToCartAmount(shopAmount: Decimal, rate: Decimal, cartCurrency: string): Decimal {
  return roundDecimal(multiply(shopAmount, rate), currencyMinorUnits(cartCurrency));
}
