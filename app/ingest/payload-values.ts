// The values the mappers read out of Shopify's payloads (ids, dates, money,
// journey fields), each checked: a payload that does not carry what it should
// gives a PayloadError naming the field (the webhook route answers 400).
// Pure: no I/O.
import { MoneyAmountError, toMinor } from "../utils/money";

export class PayloadError extends Error {
  override name = "PayloadError";
}

type Json = Record<string, any>;

/**
 * "gid://shopify/Order/123", "123", 123 or 123n -> "123". A JSON number above
 * 2^53 has already lost digits (JSON.parse rounds it): refused, never guessed.
 */
export function numericId(value: unknown, what: string): string {
  if (typeof value === "bigint") {
    if (value > 0n) return value.toString();
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new PayloadError(`${what} ${value} is not an exact integer id (parsed as a JSON number above 2^53?)`);
    }
    if (value > 0) return String(value);
  } else if (typeof value === "string") {
    const match = /^(?:gid:\/\/shopify\/\w+\/)?(\d+)(?:\?.*)?$/.exec(value.trim());
    if (match && !/^0+$/.test(match[1])) return match[1].replace(/^0+/, "");
  }
  throw new PayloadError(`${what} is missing or not a Shopify id: ${describe(value)}`);
}

/**
 * The id of a REST object: its admin_graphql_api_id when it has one (a string,
 * so never rounded), else its `id` (exact when the body was parsed with
 * parseExactJson).
 */
export function restId(object: Json | null | undefined, what: string): string {
  const gid = object?.admin_graphql_api_id;
  return numericId(typeof gid === "string" && gid ? gid : object?.id, what);
}

/** An id that may be absent (null/undefined), else checked like numericId. */
export function optionalId(value: unknown, what: string): string | null {
  return value === null || value === undefined || value === "" ? null : numericId(value, what);
}

export function date(value: unknown, what: string): Date {
  const parsed = typeof value === "string" ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new PayloadError(`${what} is missing or not a date: ${describe(value)}`);
  }
  return parsed;
}

export function optionalDate(value: unknown, what: string): Date | null {
  return value === null || value === undefined ? null : date(value, what);
}

/** A money amount (decimal string) in minor units; a bad or too large amount is a PayloadError. */
export function minor(value: unknown, currency: string, what: string): number {
  if (value !== null && value !== undefined && typeof value !== "string" && typeof value !== "number") {
    throw new PayloadError(`${what} is not a money amount: ${describe(value)}`);
  }
  try {
    return toMinor(value, currency);
  } catch (error) {
    if (error instanceof MoneyAmountError) throw new PayloadError(`${what}: ${error.message}`);
    throw error;
  }
}

/** Like `minor`, but null when the amount is absent. */
export function optionalMinor(value: unknown, currency: string, what: string): number | null {
  return value === null || value === undefined || value === "" ? null : minor(value, currency, what);
}

/** A count (quantity): a non-negative integer, else a PayloadError. */
export function count(value: unknown, what: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new PayloadError(`${what} is not a count: ${describe(value)}`);
  }
  return n;
}

const EXPRESS = /express|next[\s-]?day|overnight|priority|expedited|same[\s-]?day|\b[12][\s-]?day\b/i;

export function isExpressShipping(title: string | null | undefined, code?: string | null): boolean {
  return EXPRESS.test(title ?? "") || EXPRESS.test(code ?? "");
}

export function referrerDomain(url: string | null | undefined): string | null {
  if (!url || typeof url !== "string") return null;
  try {
    return new URL(url).hostname.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

export interface Utm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
}

/** UTM parameters from a landing page URL (REST payloads carry `landing_site`). */
export function utmFromLandingSite(landing: string | null | undefined): Utm {
  if (!landing || typeof landing !== "string") return { source: null, medium: null, campaign: null };
  try {
    const url = new URL(landing, "https://shop.invalid");
    return {
      source: url.searchParams.get("utm_source") || null,
      medium: url.searchParams.get("utm_medium") || null,
      campaign: url.searchParams.get("utm_campaign") || null,
    };
  } catch {
    return { source: null, medium: null, campaign: null };
  }
}

/** Ids compare as numbers (as strings of digits: by length, then by text). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
