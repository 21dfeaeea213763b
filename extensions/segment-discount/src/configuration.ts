// The discount's configuration: JSON in the discount's metafield
// ($app:segment-discount / function-configuration), written by the app and
// read by the Function. The validator runs in both: inside the Wasm (so it
// has no dependencies: no zod) and in the app before the metafield is saved
// (so the merchant gets every problem as a sentence).
//
// {
//   "version": 1,
//   "segments": ["rfm-champions", "rfm-loyal"],          // segment handles = tag names without the prefix
//   "rewards": {                                          // one or more; each key is a discount class
//     "product": { "percentage": 15 },                    // or { "fixedAmount": "5.00", "appliesToEachItem": false }
//     "order": { "fixedAmount": "10.00" },                // or { "percentage": 10 }
//     "shipping": { "free": true }                        // or { "percentage": 50 } / { "fixedAmount": "4.00" }
//   },
//   "minimumSubtotal": "50.00",                           // optional, shop currency
//   "holdout": { "percentage": 10, "discountId": "..." }, // optional, 0..50 % of the segment get nothing
//   "message": "Welcome back: 15% off"                    // optional, shown in the cart
// }
//
// Amounts are decimal strings (or numbers) in the shop's currency.
import { isPositive, parseDecimal } from "./money";

export const CONFIGURATION_VERSION = 1;
export const MAX_HOLDOUT_PERCENTAGE = 50;

export type RewardValue = { percentage: number } | { fixedAmount: string };
export type ProductReward = { percentage: number } | { fixedAmount: string; appliesToEachItem: boolean };

export interface Rewards {
  /** PRODUCT class: off every cart line. */
  product?: ProductReward;
  /** ORDER class: off the order subtotal. */
  order?: RewardValue;
  /** SHIPPING class: off every delivery group's shipping; free shipping is 100 %. */
  shipping?: RewardValue;
}

export interface DiscountConfiguration {
  version: typeof CONFIGURATION_VERSION;
  /** Segment handles, lower-cased (Shopify compares tags case-insensitively). */
  segments: string[];
  rewards: Rewards;
  /** Minimum cart subtotal in the shop's currency, or null. */
  minimumSubtotal: string | null;
  holdout: { percentage: number; discountId: string } | null;
  message: string | null;
}

export type ConfigurationResult =
  { ok: true; configuration: DiscountConfiguration } | { ok: false; problems: string[] };

const TOP_LEVEL_KEYS = ["version", "segments", "rewards", "minimumSubtotal", "holdout", "message"];
const REWARD_KEYS = ["product", "order", "shipping"] as const;

/** Validates a configuration (the metafield's jsonValue); never throws. */
export function parseConfiguration(value: unknown): ConfigurationResult {
  try {
    return validate(value);
  } catch (error) {
    return { ok: false, problems: [`The configuration could not be read: ${String(error)}`] };
  }
}

function validate(value: unknown): ConfigurationResult {
  if (!isRecord(value)) return { ok: false, problems: ["The configuration must be a JSON object."] };
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL_KEYS.includes(key)) problems.push(`Unknown setting "${key}".`);
  }
  if (value.version !== CONFIGURATION_VERSION) {
    problems.push(`"version" must be ${CONFIGURATION_VERSION}.`);
  }
  const segments = readSegments(value.segments, problems);
  const rewards = readRewards(value.rewards, problems);
  const minimumSubtotal = readMinimumSubtotal(value.minimumSubtotal, problems);
  const holdout = readHoldout(value.holdout, problems);
  const message = readMessage(value.message, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    configuration: { version: CONFIGURATION_VERSION, segments, rewards, minimumSubtotal, holdout, message },
  };
}

function readSegments(value: unknown, problems: string[]): string[] {
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((handle) => typeof handle === "string" && handle.trim().length > 0);
  if (!valid) {
    problems.push('"segments" must be a non-empty list of segment handles, e.g. ["rfm-champions"].');
    return [];
  }
  return (value as string[]).map((handle) => handle.trim().toLowerCase());
}

function readRewards(value: unknown, problems: string[]): Rewards {
  if (!isRecord(value)) {
    problems.push('"rewards" must be an object with "product", "order" and/or "shipping".');
    return {};
  }
  const rewards: Rewards = {};
  for (const key of Object.keys(value)) {
    if (!(REWARD_KEYS as readonly string[]).includes(key)) {
      problems.push(`Unknown reward "${key}": use "product", "order" or "shipping".`);
    }
  }
  if (value.product !== undefined) {
    const product = readRewardValue("product", value.product, problems, ["appliesToEachItem"]);
    if (product && "fixedAmount" in product) {
      const each = (value.product as Record<string, unknown>).appliesToEachItem;
      if (each !== undefined && typeof each !== "boolean") {
        problems.push('"rewards.product.appliesToEachItem" must be true or false.');
      }
      rewards.product = { fixedAmount: product.fixedAmount, appliesToEachItem: each === true };
    } else if (product) {
      if ((value.product as Record<string, unknown>).appliesToEachItem !== undefined) {
        problems.push('"rewards.product.appliesToEachItem" only applies to a "fixedAmount" reward.');
      }
      rewards.product = product;
    }
  }
  if (value.order !== undefined) {
    const order = readRewardValue("order", value.order, problems, []);
    if (order) rewards.order = order;
  }
  if (value.shipping !== undefined) {
    const shipping = readShipping(value.shipping, problems);
    if (shipping) rewards.shipping = shipping;
  }
  if (value.product === undefined && value.order === undefined && value.shipping === undefined) {
    problems.push('"rewards" needs at least one of "product", "order" or "shipping".');
  }
  return rewards;
}

function readShipping(value: unknown, problems: string[]): RewardValue | null {
  if (isRecord(value) && "free" in value) {
    const others = Object.keys(value).filter((key) => key !== "free");
    if (value.free !== true || others.length > 0) {
      problems.push('"rewards.shipping" with "free" must be exactly { "free": true }.');
      return null;
    }
    return { percentage: 100 };
  }
  return readRewardValue("shipping", value, problems, []);
}

function readRewardValue(
  name: string,
  value: unknown,
  problems: string[],
  extraKeys: readonly string[],
): RewardValue | null {
  const where = `"rewards.${name}"`;
  if (!isRecord(value)) {
    problems.push(`${where} must be an object such as { "percentage": 10 } or { "fixedAmount": "5.00" }.`);
    return null;
  }
  const hasPercentage = value.percentage !== undefined;
  const hasFixed = value.fixedAmount !== undefined;
  const unknown = Object.keys(value).filter((key) => !["percentage", "fixedAmount", ...extraKeys].includes(key));
  if (unknown.length > 0) problems.push(`${where} has unknown setting(s): ${unknown.join(", ")}.`);
  if (hasPercentage === hasFixed) {
    problems.push(`${where} needs exactly one of "percentage" or "fixedAmount".`);
    return null;
  }
  if (hasPercentage) {
    const percentage = value.percentage;
    if (typeof percentage !== "number" || !Number.isFinite(percentage) || percentage <= 0 || percentage > 100) {
      problems.push(`${where}.percentage must be a number above 0 and at most 100.`);
      return null;
    }
    return { percentage };
  }
  const amount = parseDecimal(value.fixedAmount);
  if (!amount || !isPositive(amount)) {
    problems.push(`${where}.fixedAmount must be a positive amount in the shop's currency, e.g. "5.00".`);
    return null;
  }
  return { fixedAmount: String(value.fixedAmount).trim() };
}

function readMinimumSubtotal(value: unknown, problems: string[]): string | null {
  if (value === undefined || value === null) return null;
  const amount = parseDecimal(value);
  if (!amount || amount.units < 0n) {
    problems.push('"minimumSubtotal" must be an amount of 0 or more in the shop\'s currency, e.g. "50.00".');
    return null;
  }
  return String(value).trim();
}

function readHoldout(value: unknown, problems: string[]): DiscountConfiguration["holdout"] {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) {
    problems.push('"holdout" must be an object such as { "percentage": 10, "discountId": "..." }.');
    return null;
  }
  const unknown = Object.keys(value).filter((key) => key !== "percentage" && key !== "discountId");
  if (unknown.length > 0) problems.push(`"holdout" has unknown setting(s): ${unknown.join(", ")}.`);
  const { percentage, discountId } = value;
  let valid = true;
  if (
    typeof percentage !== "number" ||
    !Number.isFinite(percentage) ||
    percentage < 0 ||
    percentage > MAX_HOLDOUT_PERCENTAGE
  ) {
    problems.push(`"holdout.percentage" must be a number from 0 to ${MAX_HOLDOUT_PERCENTAGE}.`);
    valid = false;
  }
  if (typeof discountId !== "string" || discountId.trim().length === 0) {
    problems.push('"holdout.discountId" must name the discount (any stable id), so the split stays the same.');
    valid = false;
  }
  return valid ? { percentage: percentage as number, discountId: (discountId as string).trim() } : null;
}

function readMessage(value: unknown, problems: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    problems.push('"message" must be text.');
    return null;
  }
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
