// The Function must never throw (a thrown error fails the buyer's checkout
// step) and must only return results Shopify accepts. Random inputs of the
// query's shape, with valid and broken configurations, and arbitrary JSON.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { byteLength, inputErrors, largeCartInput, MAX_INPUT_BYTES, outputErrors, runExport } from "./harness";

const LINES = { target: "cart.lines.discounts.generate.run", export: "cart-lines-discounts-generate-run" };
const DELIVERY = {
  target: "cart.delivery-options.discounts.generate.run",
  export: "cart-delivery-options-discounts-generate-run",
};

beforeEach(() => {
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

const decimalText = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }).map((cents) => (cents / 100).toFixed(2)),
  fc.integer({ min: 0, max: 100_000 }).map(String),
  fc.constantFrom("0.0", "1.0", "150.25", "0.9215"),
);
const value = fc.oneof(
  fc.record({ percentage: fc.double({ min: 0.5, max: 100, noNaN: true }) }),
  fc.record({ fixedAmount: decimalText.filter((text) => Number(text) > 0) }),
);
const validConfiguration = fc.record(
  {
    version: fc.constant(1),
    segments: fc.array(fc.constantFrom("rfm-champions", "rfm-loyal", "usage-heavy"), { minLength: 1, maxLength: 3 }),
    rewards: fc
      .record({ product: value, order: value, shipping: value }, { requiredKeys: [] })
      .filter((rewards) => Object.keys(rewards).length > 0),
    minimumSubtotal: fc.option(decimalText, { nil: undefined }),
    holdout: fc.option(
      fc.record({ percentage: fc.integer({ min: 0, max: 50 }), discountId: fc.constantFrom("a", "b") }),
      { nil: undefined },
    ),
    message: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  },
  { requiredKeys: ["version", "segments", "rewards"] },
);
// A metafield's jsonValue is JSON! (never null).
const nonNullJson = fc.jsonValue().filter((json) => json !== null);
const customer = fc.option(
  fc.record({
    id: fc.integer({ min: 1, max: 1e9 }).map((n) => `gid://shopify/Customer/${n}`),
    inSegmentByTag: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
    segmentHandles: fc.option(fc.record({ jsonValue: fc.oneof(fc.array(fc.string()), nonNullJson) }), {
      nil: null,
    }),
  }),
  { nil: null, freq: 8 },
);

function commonInput(extraCart: Record<string, unknown>) {
  return fc.record({
    cart: fc.record({
      buyerIdentity: fc.option(fc.record({ customer }), { nil: null, freq: 8 }),
      cost: fc.record({
        subtotalAmount: fc.record({ amount: decimalText, currencyCode: fc.constantFrom("USD", "JPY", "EUR", "KWD") }),
      }),
      ...extraCart,
    }),
    discount: fc.record({
      discountClasses: fc.subarray(["ORDER", "PRODUCT", "SHIPPING"], { minLength: 1 }),
      configuration: fc.option(
        fc.record({
          jsonValue: fc.oneof({ arbitrary: validConfiguration, weight: 4 }, { arbitrary: nonNullJson, weight: 1 }),
        }),
        { nil: null, freq: 8 },
      ),
    }),
    presentmentCurrencyRate: fc.constantFrom("1.0", "150.25", "0.9215", "0.30718"),
  });
}

const linesInput = commonInput({
  lines: fc.array(
    fc.integer({ min: 1, max: 1e6 }).map((n) => ({ id: `gid://shopify/CartLine/${n}` })),
    {
      maxLength: 5,
    },
  ),
});
const deliveryInput = commonInput({
  deliveryGroups: fc.array(
    fc.integer({ min: 1, max: 1e6 }).map((n) => ({ id: `gid://shopify/CartDeliveryGroup/${n}` })),
    { minLength: 1, maxLength: 3 },
  ),
});

describe.each([
  ["lines", LINES, linesInput],
  ["delivery options", DELIVERY, deliveryInput],
] as const)("%s target", (_name, target, arbitrary) => {
  it("returns a valid result for any input of the query's shape", async () => {
    let discounted = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        expect(await inputErrors(target.target, input)).toEqual([]);
        const output = runExport(target.export, input) as { operations: unknown[] };
        expect(await outputErrors(target.target, output)).toEqual([]);
        if (output.operations.length > 0) discounted++;
      }),
      { numRuns: 300 },
    );
    // The property must also have exercised the discounting path, not only the empty result.
    expect(discounted).toBeGreaterThan(15);
  });

  it("returns no operations, without throwing, for arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const output = runExport(target.export, input) as { operations: unknown[] };
        expect(output).toEqual({ operations: [] });
      }),
      { numRuns: 300 },
    );
  });
});

describe("a 200-line cart (Shopify's instruction limit is stated for carts of up to 200 lines)", () => {
  it("fits the 64 KB input limit and discounts every line in one valid operation", async () => {
    const input = largeCartInput(200);
    expect(await inputErrors(LINES.target, input)).toEqual([]);
    expect(byteLength(input)).toBeLessThan(MAX_INPUT_BYTES / 4);
    const output = runExport(LINES.export, input) as {
      operations: Array<{ productDiscountsAdd?: { candidates: Array<{ targets: unknown[] }> } }>;
    };
    expect(await outputErrors(LINES.target, output)).toEqual([]);
    expect(output.operations).toHaveLength(2);
    expect(output.operations[1].productDiscountsAdd?.candidates[0].targets).toHaveLength(200);
  });
});
