// What the app writes on a segment discount so the Function can run: the
// configuration metafield (read by both input queries) and the input-variables
// metafield (named in shopify.extension.toml; its top-level keys are the
// queries' variables, here the segments' tags for `hasAnyTag`). The app calls
// `discountMetafields` and sends the result with discountAutomaticAppCreate /
// discountAutomaticAppUpdate (or metafieldsSet), together, so the two never
// disagree. Dependency-free like the rest of src/.
import { parseConfiguration, type DiscountConfiguration } from "./configuration";

export const DISCOUNT_METAFIELD_NAMESPACE = "$app:segment-discount";
export const CONFIGURATION_METAFIELD_KEY = "function-configuration";
export const INPUT_VARIABLES_METAFIELD_KEY = "input-variables";
/** The customer metafield the app's write-back fills (app/writeback/metafields.ts). */
export const CUSTOMER_SEGMENTS_METAFIELD = { namespace: "$app:segments", key: "handles" } as const;

/** Shopify reads metafield values of at most 10,000 bytes into a Function's input. */
export const MAX_FUNCTION_METAFIELD_BYTES = 10_000;
/** List arguments take at most 250 items in Shopify's APIs. */
const MAX_SEGMENT_TAGS = 250;

export type DiscountClassName = "PRODUCT" | "ORDER" | "SHIPPING";

export interface MetafieldInput {
  namespace: string;
  key: string;
  type: "json";
  value: string;
}

export type DiscountMetafieldsResult =
  | {
      ok: true;
      configuration: DiscountConfiguration;
      /** The discount classes to set on the discount: one per configured reward. */
      discountClasses: DiscountClassName[];
      metafields: MetafieldInput[];
    }
  | { ok: false; problems: string[] };

/** The discount classes a configuration needs (PRODUCT for product, ORDER for order, SHIPPING for shipping). */
function discountClassesOf(configuration: DiscountConfiguration): DiscountClassName[] {
  const classes: DiscountClassName[] = [];
  if (configuration.rewards.product) classes.push("PRODUCT");
  if (configuration.rewards.order) classes.push("ORDER");
  if (configuration.rewards.shipping) classes.push("SHIPPING");
  return classes;
}

/**
 * The tags `hasAnyTag` looks for: every segment handle under every prefix the
 * app's tags may carry (the current prefix and, while a prefix change is being
 * written back, the former ones), lower-cased and without duplicates.
 */
export function segmentTags(configuration: DiscountConfiguration, tagPrefixes: readonly string[]): string[] {
  const tags = new Set<string>();
  for (const prefix of tagPrefixes) {
    for (const handle of configuration.segments) tags.add(`${prefix}${handle}`.toLowerCase());
  }
  return [...tags];
}

/**
 * Validates a configuration and returns the two metafields to write on the
 * discount, or the problems as sentences for the merchant.
 */
export function discountMetafields(
  configurationInput: unknown,
  tagPrefixes: readonly string[],
): DiscountMetafieldsResult {
  const parsed = parseConfiguration(configurationInput);
  if (!parsed.ok) return parsed;
  const problems: string[] = [];
  if (tagPrefixes.length === 0 || tagPrefixes.some((prefix) => typeof prefix !== "string" || prefix.length === 0)) {
    problems.push("The app's tag prefix is missing: the discount could not find the segments' tags.");
  }
  const tags = segmentTags(parsed.configuration, tagPrefixes);
  if (tags.length > MAX_SEGMENT_TAGS) {
    problems.push(`The discount would look for ${tags.length} tags; Shopify accepts at most ${MAX_SEGMENT_TAGS}.`);
  }
  const configurationValue = JSON.stringify(parsed.configuration);
  const variablesValue = JSON.stringify({ segmentTags: tags });
  for (const [name, value] of [
    ["configuration", configurationValue],
    ["segment tag list", variablesValue],
  ]) {
    const bytes = utf8Length(value);
    if (bytes > MAX_FUNCTION_METAFIELD_BYTES) {
      problems.push(
        `The discount's ${name} takes ${bytes} bytes; a Function reads at most ${MAX_FUNCTION_METAFIELD_BYTES}. Choose fewer segments or a shorter message.`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    configuration: parsed.configuration,
    discountClasses: discountClassesOf(parsed.configuration),
    metafields: [
      {
        namespace: DISCOUNT_METAFIELD_NAMESPACE,
        key: CONFIGURATION_METAFIELD_KEY,
        type: "json",
        value: configurationValue,
      },
      {
        namespace: DISCOUNT_METAFIELD_NAMESPACE,
        key: INPUT_VARIABLES_METAFIELD_KEY,
        type: "json",
        value: variablesValue,
      },
    ],
  };
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
