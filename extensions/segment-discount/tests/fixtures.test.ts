// Every fixture in tests/fixtures (Shopify's template format: payload.export,
// target, input, output) is checked three ways: its input is a possible
// result of the target's input query on schema.graphql, its expected output is
// a valid result for the target, and the function returns exactly that output.
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  byteLength,
  fixtureFiles,
  inputErrors,
  MAX_INPUT_BYTES,
  outputErrors,
  readFixture,
  readTargeting,
  runExport,
} from "./harness";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("shopify.extension.toml", () => {
  it("declares both discount targets, each with an input query and an export", () => {
    expect(readTargeting().map((t) => [t.target, path.basename(t.inputQueryPath), t.export])).toEqual([
      [
        "cart.lines.discounts.generate.run",
        "cart_lines_discounts_generate_run.graphql",
        "cart-lines-discounts-generate-run",
      ],
      [
        "cart.delivery-options.discounts.generate.run",
        "cart_delivery_options_discounts_generate_run.graphql",
        "cart-delivery-options-discounts-generate-run",
      ],
    ]);
  });
});

describe("fixtures", () => {
  const files = fixtureFiles();

  it("cover every case the function distinguishes", () => {
    const names = files.map((file) => path.basename(file, ".json"));
    for (const name of [
      "cart-lines-member-by-tag",
      "cart-lines-member-by-metafield",
      "cart-lines-outside-segment",
      "cart-lines-guest",
      "cart-lines-holdout",
      "cart-lines-below-minimum",
      "cart-lines-class-not-enabled",
      "cart-lines-malformed-configuration",
      "cart-lines-fixed-amount-jpy",
      "cart-lines-fixed-amount-usd-shop-jpy-cart",
      "delivery-options-free-shipping",
      "delivery-options-fixed-amount-eur",
      "delivery-options-outside-segment",
      "delivery-options-guest",
      "delivery-options-class-not-enabled",
    ]) {
      expect(names).toContain(name);
    }
  });

  for (const file of files) {
    const name = path.basename(file, ".json");
    it(`${name}: input and output fit the schema and the function returns the expected output`, async () => {
      const fixture = await readFixture(file);
      const targeting = readTargeting().find((t) => t.target === fixture.target);
      expect(targeting?.export).toBe(fixture.export);

      expect(await inputErrors(fixture.target, fixture.input)).toEqual([]);
      expect(byteLength(fixture.input)).toBeLessThan(MAX_INPUT_BYTES);
      expect(await outputErrors(fixture.target, fixture.expectedOutput)).toEqual([]);

      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      expect(runExport(fixture.export, fixture.input)).toStrictEqual(fixture.expectedOutput);
      if (name.includes("malformed-configuration")) {
        // The reason goes to the Function's log (shown in the Partner Dashboard's run details).
        expect(logged).toHaveBeenCalledWith(expect.stringContaining("invalid configuration"));
        expect(logged.mock.calls[0][0]).toContain('"segments" must be a non-empty list');
      } else {
        expect(logged).not.toHaveBeenCalled();
      }
    });
  }
});
