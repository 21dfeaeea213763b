// The shape of a segment family module. Each family (rfm, usage, loyalty,
// predictive, occasion, benefits, marketing, custom) is one module under
// families/ that owns everything about its segments: catalog entries with
// plain-words definitions, its slice of the merchant settings, its fit step
// (if any, called by fitShop) and its assignment. The assigner, the catalog
// and the settings schema are assembled from the list in families/index.ts.
import type { z } from "zod";
import type { ShopCutoffs } from "../cutoffs";
import type { CustomerFeatures } from "../features/customer";
import { toFixedDigits } from "../math/fixed-decimals";
import { isAbove, type QuantileEdges } from "../math/quantiles";
import { fmt } from "../rules/evaluate";
import type { DerivedFeatures } from "../rules/features";
import type { Settings } from "../settings";
import type { Family, Membership, PredictiveUnavailable, PredictiveValues, RfmScores } from "../types";

/** Optional order data a segment needs; the segment is empty without it. */
export type DataNeed = "discounts" | "unitPrices" | "shipping" | "products" | "journey";

/** What a fitted model says about one segment (predictive segments, when cut-offs are given). */
export interface ModelNote {
  /**
   * "ok": the model is fitted and informative for this segment; "weak": fitted,
   * but the fit says little here (the segment will be nearly empty or nearly
   * everyone); "unavailable": the models could not be fitted, the segment is empty.
   */
  status: "ok" | "weak" | "unavailable";
  /** One sentence for the merchant, with the numbers behind it. */
  reason: string;
}

export interface CatalogEntry {
  family: Family;
  handle: string;
  /** "<family>/<handle>". */
  key: string;
  /** The segment's name. */
  title: string;
  description: string;
  /** Tag name without the prefix when the merchant did not name it: "<family>-<handle>". */
  tagHandle: string;
  /**
   * The rule in plain words with the current thresholds: from the settings,
   * and from the fitted cut-offs when the catalog is built with them
   * (amounts in the shop's currency decimals).
   */
  definition: string;
  needs?: DataNeed;
  /** Only for segments that rest on a fitted model, and only when the catalog is built with cut-offs. */
  model?: ModelNote;
}

export interface CatalogContext {
  settings: Settings;
  /** The shop's fitted cut-offs; null = describe the rules from the settings alone. */
  cutoffs: ShopCutoffs | null;
  /** Minor units -> "1234.50" in the shop's currency decimals. */
  money: (minor: number) => string;
}

/** What a family's assignment may read: everything that depends on the shop only. */
export interface ShopContext {
  settings: Settings;
  cutoffs: ShopCutoffs;
  asOfMs: number;
  /** Local day number of the as-of date in the shop's time zone. */
  asOfDay: number;
  money: (minor: number) => string;
  /** Whether the assigner writes reasons (AssignmentDraft.withReasons, the same for every customer). */
  withReasons: boolean;
}

/** The assignment of one customer as the families fill it; one object reused for every customer. */
export interface AssignmentDraft {
  memberships: Membership[];
  /** Set by the rfm family (null without orders). */
  scores: RfmScores | null;
  /** Set by the predictive family. */
  predictive: PredictiveValues | PredictiveUnavailable;
  /**
   * False when the caller keeps no reason (a recompute's chunk stores segments, not reasons, ADR 060): every
   * membership's reason is then "" and no reason is written (ADR 067).
   */
  withReasons: boolean;
}

/**
 * Adds the customer's memberships of one family to `out`. Runs in the hot
 * loop (a million customers): no closures or objects per call beyond the
 * memberships themselves. Families run in the order of FAMILIES and may write
 * derived fields later families read (RFM scores and predictions feed the
 * custom rules).
 */
export type FamilyAssign = (features: CustomerFeatures, derived: DerivedFeatures, out: AssignmentDraft) => void;

export type IssueSink = (path: (string | number)[], message: string) => void;

export interface FamilySettings<K extends string = string, S extends z.ZodType = z.ZodType> {
  /** Key of the slice in the merchant settings, e.g. "loyalty". */
  key: K;
  /** zod schema of the slice, defaults included (objects use `.prefault({})`). */
  schema: S;
  /** Checks across fields of the slice; paths are relative to the slice. Runs once every field is valid. */
  check?: (slice: z.output<S>, issue: IssueSink) => void;
}

export interface FamilyModule<K extends string = string, S extends z.ZodType = z.ZodType> {
  family: Family;
  settings?: FamilySettings<K, S>;
  /** Every segment the family can produce with these settings, in report order. */
  catalog(ctx: CatalogContext): CatalogEntry[];
  /** Prepares once per shop and as-of date (calendars, compiled rules); returns the per-customer step. */
  prepare(shop: ShopContext): FamilyAssign;
}

export function catalogEntry(
  family: Family,
  handle: string,
  title: string,
  description: string,
  definition: string,
  needs?: DataNeed,
): CatalogEntry {
  return {
    family,
    handle,
    key: `${family}/${handle}`,
    title,
    description,
    tagHandle: `${family}-${handle}`,
    definition,
    ...(needs ? { needs } : {}),
  };
}

// "<family>/<segment>" strings built once, so millions of memberships share them.
const keyCache = new Map<string, Map<string, string>>();
function keyOf(family: string, segment: string): string {
  let byFamily = keyCache.get(family);
  if (!byFamily) keyCache.set(family, (byFamily = new Map()));
  let key = byFamily.get(segment);
  if (key === undefined) {
    key = `${family}/${segment}`;
    if (byFamily.size < 10_000) byFamily.set(segment, key);
  }
  return key;
}

/**
 * A membership and its reason. A reason built from numbers is written only
 * `out.withReasons` (the call sites test it before building the text): writing
 * millions of them (toFixed, template strings, their garbage) was a third of a
 * recompute chunk's assignment, which stores none (ADR 067).
 */
export function addMembership(out: AssignmentDraft, family: Family, segment: string, reason: string): void {
  out.memberships.push({ family, segment, key: keyOf(family, segment), reason });
}

export function moneyFormatter(decimals: number): (minor: number) => string {
  return (minor) => toFixedDigits(minor / 10 ** decimals, decimals);
}

/** A threshold as people write it: 0.7, 0.05, 6.083 (up to 4 significant digits, no trailing zeros). */
export function plain(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** "1 day", "0 days", "12 orders": a count in a reason, with its noun in the number it needs. */
export function countOf(n: number, noun: string): string {
  return n === 1 ? `1 ${noun}` : `${n} ${noun}s`;
}

export function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

/**
 * "> 7.55", ">= 7.55" (a tie that counts as above) or "<= 7.55", against
 * edge k, with the edge already written (`show(edges.values[k])`: once per
 * shop in a family's prepare, not once per customer).
 */
export function aboveText(value: number, edges: QuantileEdges, k: number, edgeText: string): string {
  const e = edges.values[k];
  const symbol = isAbove(value, edges, k) ? (value > e ? ">" : ">=") : value < e ? "<" : "<=";
  return `${symbol} ${edgeText}`;
}

/** Words for "above edge k": "more than 7.55" or "at least 7.55" (ties at the edge count as above). */
export function aboveEdgeWords(edges: QuantileEdges, k: number, show: (v: number) => string = fmt): string {
  return `${edges.tiesAbove[k] ? "at least" : "more than"} ${show(edges.values[k])}`;
}

/** Words for "not above edge k": "at most 7.55" or "less than 7.55". */
export function notAboveEdgeWords(edges: QuantileEdges, k: number, show: (v: number) => string = fmt): string {
  return `${edges.tiesAbove[k] ? "less than" : "at most"} ${show(edges.values[k])}`;
}

export { fmt };
