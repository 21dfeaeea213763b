import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { METAFIELD_NAMESPACE, METAFIELD_SPECS } from "../../../app/writeback/metafields";
import { parseConfiguration } from "./configuration";
import {
  CONFIGURATION_METAFIELD_KEY,
  CUSTOMER_SEGMENTS_METAFIELD,
  DISCOUNT_METAFIELD_NAMESPACE,
  discountMetafields,
  INPUT_VARIABLES_METAFIELD_KEY,
  MAX_FUNCTION_METAFIELD_BYTES,
  segmentTags,
} from "./metafields";

const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const read = (file: string) => fs.readFileSync(path.join(EXTENSION_DIR, file), "utf8");

const CONFIG = {
  version: 1,
  segments: ["rfm-champions", "rfm-loyal"],
  rewards: { product: { percentage: 15 }, shipping: { free: true } },
  holdout: { percentage: 10, discountId: "winter-vip" },
  message: "Welcome back",
};

describe("names shared by the app, the toml and the input queries", () => {
  it("reads the customer metafield the app's write-back writes", () => {
    expect(CUSTOMER_SEGMENTS_METAFIELD.namespace).toBe(METAFIELD_NAMESPACE);
    const handles = METAFIELD_SPECS.find((spec) => spec.key === CUSTOMER_SEGMENTS_METAFIELD.key);
    expect(handles?.type).toBe("list.single_line_text_field");
  });

  for (const query of [
    "src/cart_lines_discounts_generate_run.graphql",
    "src/cart_delivery_options_discounts_generate_run.graphql",
  ]) {
    it(`${query} reads the configuration, the customer metafield and $segmentTags`, () => {
      const text = read(query);
      expect(text).toContain(
        `metafield(namespace: "${DISCOUNT_METAFIELD_NAMESPACE}", key: "${CONFIGURATION_METAFIELD_KEY}")`,
      );
      expect(text).toContain(
        `metafield(namespace: "${CUSTOMER_SEGMENTS_METAFIELD.namespace}", key: "${CUSTOMER_SEGMENTS_METAFIELD.key}")`,
      );
      expect(text).toContain("hasAnyTag(tags: $segmentTags)");
    });
  }

  it("names the input-variables metafield in shopify.extension.toml", () => {
    const toml = read("shopify.extension.toml");
    const section = toml.slice(toml.indexOf("[extensions.input.variables]"));
    expect(section).toMatch(new RegExp(`namespace = "\\${DISCOUNT_METAFIELD_NAMESPACE}"`));
    expect(section).toContain(`key = "${INPUT_VARIABLES_METAFIELD_KEY}"`);
  });

  it("keeps schema.graphql byte for byte the project's copy of Shopify's schema", () => {
    const original = fs.readFileSync(
      path.join(EXTENSION_DIR, "..", "..", "schemas", "shopify-discount-function-2026-04.graphql"),
      "utf8",
    );
    expect(read("schema.graphql")).toBe(original);
  });
});

describe("segmentTags", () => {
  it("puts every handle under every prefix, lower-cased, once", () => {
    const parsed = parseConfiguration(CONFIG);
    if (!parsed.ok) throw new Error(parsed.problems.join(" "));
    expect(segmentTags(parsed.configuration, ["seg:", "Seg:", "old-"])).toEqual([
      "seg:rfm-champions",
      "seg:rfm-loyal",
      "old-rfm-champions",
      "old-rfm-loyal",
    ]);
  });
});

describe("discountMetafields", () => {
  it("returns the configuration and input-variables metafields and the discount classes", () => {
    const result = discountMetafields(CONFIG, ["seg:"]);
    if (!result.ok) throw new Error(result.problems.join(" "));
    expect(result.discountClasses).toEqual(["PRODUCT", "SHIPPING"]);
    expect(result.metafields.map(({ namespace, key, type }) => ({ namespace, key, type }))).toEqual([
      { namespace: "$app:segment-discount", key: "function-configuration", type: "json" },
      { namespace: "$app:segment-discount", key: "input-variables", type: "json" },
    ]);
    expect(JSON.parse(result.metafields[1].value)).toEqual({ segmentTags: ["seg:rfm-champions", "seg:rfm-loyal"] });
    // What the Function will read back is what the app validated.
    expect(parseConfiguration(JSON.parse(result.metafields[0].value))).toEqual({
      ok: true,
      configuration: result.configuration,
    });
  });

  it("passes on the validator's problems", () => {
    expect(discountMetafields({ ...CONFIG, rewards: {} }, ["seg:"])).toEqual({
      ok: false,
      problems: ['"rewards" needs at least one of "product", "order" or "shipping".'],
    });
  });

  it("refuses a missing tag prefix, too many tags and a metafield over Shopify's 10,000-byte limit", () => {
    expect(discountMetafields(CONFIG, [])).toMatchObject({ ok: false, problems: [expect.stringContaining("prefix")] });
    const many = { ...CONFIG, segments: Array.from({ length: 126 }, (_, i) => `segment-${i}`) };
    expect(discountMetafields(many, ["seg:", "old:"])).toMatchObject({
      ok: false,
      problems: [expect.stringContaining("252 tags")],
    });
    const long = { ...CONFIG, message: "é".repeat(MAX_FUNCTION_METAFIELD_BYTES / 2) };
    const result = discountMetafields(long, ["seg:"]);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problems[0]).toMatch(/configuration takes 10\d\d\d bytes/);
  });
});
