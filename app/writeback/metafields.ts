// The customer metafields the app writes in its namespace ($app:segments),
// so Liquid and Shopify Functions can read segments and predictions: the
// values per customer and a hash to skip customers whose values are unchanged.
import { hash } from "node:crypto";
import { isoOfDay, ShopClock } from "../segmentation/features/clock";

export const METAFIELD_NAMESPACE = "$app:segments";

export interface MetafieldSpec {
  key: string;
  name: string;
  type: string;
  description: string;
}

export const METAFIELD_SPECS: readonly MetafieldSpec[] = [
  {
    key: "handles",
    name: "Segments",
    type: "list.single_line_text_field",
    description: "Segment handles the customer belongs to (e.g. rfm-champions)",
  },
  {
    key: "p_alive",
    name: "Probability still active",
    type: "number_decimal",
    description: "BG/NBD probability that the customer is still active (0 to 1)",
  },
  {
    key: "clv_12m",
    name: "Predicted 12-month value",
    type: "number_decimal",
    description: "Expected spend over the next 12 months, in the shop currency",
  },
  { key: "next_order_date", name: "Expected next order", type: "date", description: "Expected date of the next order" },
  {
    key: "spend_tier",
    name: "Predicted spend tier",
    type: "single_line_text_field",
    description: "high, medium or low",
  },
];

export interface CustomerPredictions {
  pAlive: number;
  clv12mMinor: number;
  nextOrderDate: number | null;
  spendTier: string;
}

export interface MetafieldValue {
  key: string;
  type: string;
  value: string;
}

/** What a customer's metafield values are made of. */
export interface MetafieldInput {
  handles: readonly string[];
  /** Left out of the values when the shop has no usable model. */
  predictions: CustomerPredictions | null;
  currencyDecimals: number;
  timeZone: string;
}

/** Each value's type, by key: the specs', so a queued value need not carry it. */
const TYPE_OF_KEY = new Map(METAFIELD_SPECS.map((spec) => [spec.key, spec.type]));

/**
 * A customer's metafield values as the recompute queues them for the
 * write-back (PendingMetafields.values, text): one JSON object of value by
 * key (handles, p_alive, clv_12m, next_order_date, spend_tier; the
 * predictions left out when the shop has no usable model, the date when none
 * is expected), written at once from the inputs. About a third of the bytes
 * of a list of {key, type, value} objects, and no JSONB for PostgreSQL to
 * parse: a million customers' values are stored in a third of the time (ADR
 * 068). Built without value objects or an object for JSON.stringify to walk:
 * a chunk queues every customer's values on a shop's first recompute.
 */
export function packedMetafieldValues(input: MetafieldInput): string {
  let text = `{"handles":${JSON.stringify(JSON.stringify(sortedHandles(input.handles)))}`;
  const p = input.predictions;
  if (p) {
    const clv = (p.clv12mMinor / 10 ** input.currencyDecimals).toFixed(input.currencyDecimals);
    // Digits, a sign, a point, an ISO date: nothing JSON escapes.
    text += `,"p_alive":"${p.pAlive.toFixed(3)}","clv_12m":"${clv}"`;
    if (p.nextOrderDate !== null) text += `,"next_order_date":"${isoOfDay(localDay(p.nextOrderDate, input.timeZone))}"`;
    text += `,"spend_tier":${JSON.stringify(p.spendTier)}`;
  }
  return `${text}}`;
}

/**
 * The values packedMetafieldValues packed, each with its key's type; throws on
 * a key no spec has. A list of {key, type, value} (the shape before ADR 068,
 * which a worker of the previous release may still queue during a deploy) is
 * read as it is.
 */
export function unpackMetafieldValues(text: string): MetafieldValue[] {
  const packed = JSON.parse(text) as Record<string, string> | MetafieldValue[];
  if (Array.isArray(packed)) return packed;
  return Object.entries(packed).map(([key, value]) => {
    const type = TYPE_OF_KEY.get(key);
    if (type === undefined) throw new Error(`queued metafield values name an unknown key "${key}"`);
    return { key, type, value };
  });
}

/**
 * How far a written prediction may drift before the customer's values are
 * written again (ADR 070): P(alive) by 0.02, the 12-month value by 5%, the
 * expected next order by a week. The predictions move every day for nearly
 * every customer (the next order is a number of days from the run's instant),
 * so values compared exactly were written again for 98% of customers every
 * night. The segment handles and the spend tier are compared exactly.
 */
const METAFIELD_TOLERANCE = { pAlive: 0.02, clvRatio: 1.05, nextOrderDays: 7 } as const;

const LOG_CLV_RATIO = Math.log(METAFIELD_TOLERANCE.clvRatio);
const P_ALIVE_BAND_THOUSANDTHS = Math.round(METAFIELD_TOLERANCE.pAlive * 1000);

/**
 * Short stable hash of a customer's values at the tolerance, stored per
 * customer to send only values that changed by more than it: the sorted
 * handles and the spend tier as they are, each prediction as the number of
 * its band (values in the same band are within the tolerance of each other).
 * Worked out from the numbers, not the formatted values: a chunk formats the
 * values of only the customers whose hash differs from the one written.
 */
export function metafieldHash(input: MetafieldInput): string {
  // Handles are kebab-case (segmentTagName): no "\n" or "|" in one.
  let text = sortedHandles(input.handles).join("\n");
  const p = input.predictions;
  if (p) {
    // P(alive) in thousandths, as written (three decimals), so a band's edge is an integer.
    const pAlive = Math.floor(Math.round(p.pAlive * 1000) / P_ALIVE_BAND_THOUSANDTHS);
    const amount = p.clv12mMinor / 10 ** input.currencyDecimals;
    const clv = amount > 0 ? Math.floor(Math.log(amount) / LOG_CLV_RATIO) : "none";
    const next =
      p.nextOrderDate === null
        ? "none"
        : Math.floor(localDay(p.nextOrderDate, input.timeZone) / METAFIELD_TOLERANCE.nextOrderDays);
    text += `|${pAlive}|${clv}|${next}|${p.spendTier}`;
  }
  // The one-shot hash: the same digest as createHash's, without a Hash object per customer.
  return hash("sha1", text, "base64url").slice(0, 16);
}

/**
 * The handles in code-unit order, as Array.prototype.sort puts them: an
 * insertion sort, since a customer has a few and the default sort's string
 * conversions took a fifth of the hash (docs/performance.md, 2026-12-07 from
 * 20:06 UTC).
 */
function sortedHandles(handles: readonly string[]): string[] {
  const out = handles.slice();
  for (let i = 1; i < out.length; i++) {
    const handle = out[i];
    let j = i - 1;
    for (; j >= 0 && out[j] > handle; j--) out[j + 1] = out[j];
    out[j + 1] = handle;
  }
  return out;
}

/**
 * One shop clock per time zone (the features' own: offsets cached per hour,
 * ISO days kept once written). A new Intl.DateTimeFormat per customer cost
 * about 70 µs, most of a chunk's time with metafields on (docs/performance.md,
 * 2026-12-07 from 17:25 UTC).
 */
const clocks = new Map<string, ShopClock>();

/** The local day (days since 1970-01-01) of an instant in the time zone. */
function localDay(epochMs: number, timeZone: string): number {
  let clock = clocks.get(timeZone);
  if (!clock) clocks.set(timeZone, (clock = new ShopClock(timeZone)));
  return clock.day(epochMs);
}
