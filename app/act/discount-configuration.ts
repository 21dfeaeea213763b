// What a segment discount asks of the Function under the shop's current
// settings: which of its segments are still there (enabled, not removed),
// their handles (the tag names without the prefix, as the write-back writes
// them), and the two configuration metafields built and validated by the
// extension's own module. Pure.
import { createHash } from "node:crypto";
import type { ShopConfig } from "../settings/shop-config";
import { segmentTagName } from "../writeback/tags";
import { functionConfiguration, type RewardChoice } from "./discount-form";
import { discountMetafields, type DiscountClassName, type MetafieldInput } from "./segment-discount-function";

/** Segment keys a discount may target: the enabled segments of the shop's catalog, in catalog order. */
export function availableSegmentKeys(config: Pick<ShopConfig, "catalog" | "enabledTags">): string[] {
  return config.catalog.filter((entry) => config.enabledTags.has(entry.key)).map((entry) => entry.key);
}

/** Segment names by key (the catalog's titles). */
export function segmentTitles(config: Pick<ShopConfig, "catalog">): Map<string, string> {
  return new Map(config.catalog.map((entry) => [entry.key, entry.title]));
}

/** A discount's segments split into the ones that still exist and are enabled, and the rest. */
export function segmentAvailability(
  segments: readonly string[],
  config: Pick<ShopConfig, "enabledTags">,
): { available: string[]; unavailable: string[] } {
  const available: string[] = [];
  const unavailable: string[] = [];
  for (const key of segments) (config.enabledTags.has(key) ? available : unavailable).push(key);
  return { available, unavailable };
}

/** The handle the Function compares with a customer's tags and `handles` metafield. */
function segmentHandle(key: string, config: Pick<ShopConfig, "writeback">): string {
  return segmentTagName(key, config.writeback.tagNames[key]);
}

export interface DiscountTerms {
  /** The app's id of the discount: the hold-out key. */
  id: string;
  reward: RewardChoice;
  minimumSubtotal: string | null;
  holdoutPercentage: number;
  message: string | null;
}

export type BuiltConfiguration =
  | {
      ok: true;
      discountClasses: DiscountClassName[];
      metafields: MetafieldInput[];
      /** Changes when anything the Function reads changes: decides whether to write again. */
      hash: string;
    }
  | { ok: false; problems: string[] };

/**
 * The configuration and input-variables metafields for a discount over
 * `segmentKeys` under the shop's tag prefixes (the current one and those a
 * write-back is still moving away from), validated by the Function's own
 * validator; or the problems as sentences.
 */
export function buildDiscountConfiguration(
  terms: DiscountTerms,
  segmentKeys: readonly string[],
  config: Pick<ShopConfig, "writeback" | "prefixes">,
): BuiltConfiguration {
  const configuration = functionConfiguration({
    handles: segmentKeys.map((key) => segmentHandle(key, config)),
    reward: terms.reward,
    minimumSubtotal: terms.minimumSubtotal,
    holdoutPercentage: terms.holdoutPercentage,
    holdoutKey: terms.id,
    message: terms.message,
  });
  const result = discountMetafields(configuration, config.prefixes);
  if (!result.ok) return result;
  const hash = createHash("sha1")
    .update(JSON.stringify([result.discountClasses, result.metafields]))
    .digest("base64url")
    .slice(0, 20);
  return { ok: true, discountClasses: result.discountClasses, metafields: result.metafields, hash };
}
