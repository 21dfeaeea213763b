import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfiguration, type ConfigurationResult } from "./configuration";

const VALID = {
  version: 1,
  segments: ["RFM-Champions", " rfm-loyal "],
  rewards: {
    product: { fixedAmount: "5.00", appliesToEachItem: true },
    order: { percentage: 10 },
    shipping: { free: true },
  },
  minimumSubtotal: 50,
  holdout: { percentage: 10, discountId: "gid://shopify/DiscountAutomaticNode/1" },
  message: "  Welcome back  ",
};

function problemsOf(result: ConfigurationResult): string[] {
  return result.ok ? [] : result.problems;
}

describe("parseConfiguration", () => {
  it("reads a full configuration and normalises it", () => {
    expect(parseConfiguration(VALID)).toEqual({
      ok: true,
      configuration: {
        version: 1,
        segments: ["rfm-champions", "rfm-loyal"],
        rewards: {
          product: { fixedAmount: "5.00", appliesToEachItem: true },
          order: { percentage: 10 },
          shipping: { percentage: 100 },
        },
        minimumSubtotal: "50",
        holdout: { percentage: 10, discountId: "gid://shopify/DiscountAutomaticNode/1" },
        message: "Welcome back",
      },
    });
  });

  it("reads a minimal configuration: no minimum, no hold-out, no message", () => {
    const result = parseConfiguration({
      version: 1,
      segments: ["rfm-champions"],
      rewards: { order: { fixedAmount: 10 } },
    });
    expect(result).toEqual({
      ok: true,
      configuration: {
        version: 1,
        segments: ["rfm-champions"],
        rewards: { order: { fixedAmount: "10" } },
        minimumSubtotal: null,
        holdout: null,
        message: null,
      },
    });
  });

  it("accepts its own normalised output (the app stores what the validator returns)", () => {
    const first = parseConfiguration(VALID);
    if (!first.ok) throw new Error(first.problems.join(" "));
    expect(parseConfiguration(JSON.parse(JSON.stringify(first.configuration)))).toEqual(first);
  });

  it.each([
    [null, "The configuration must be a JSON object."],
    ["{}", "The configuration must be a JSON object."],
    [{ ...VALID, version: 2 }, '"version" must be 1.'],
    [{ ...VALID, colour: "red" }, 'Unknown setting "colour".'],
    [{ ...VALID, segments: [] }, '"segments" must be a non-empty list'],
    [{ ...VALID, segments: ["ok", ""] }, '"segments" must be a non-empty list'],
    [{ ...VALID, rewards: {} }, '"rewards" needs at least one'],
    [{ ...VALID, rewards: { tip: { percentage: 5 } } }, 'Unknown reward "tip"'],
    [{ ...VALID, rewards: { order: { percentage: 0 } } }, '"rewards.order".percentage must be a number above 0'],
    [{ ...VALID, rewards: { order: { percentage: 101 } } }, "at most 100"],
    [{ ...VALID, rewards: { order: { percentage: "15%" } } }, "must be a number above 0"],
    [{ ...VALID, rewards: { order: { percentage: 5, fixedAmount: "1" } } }, "exactly one of"],
    [{ ...VALID, rewards: { order: { fixedAmount: "-5" } } }, "must be a positive amount"],
    [{ ...VALID, rewards: { order: { fixedAmount: "5,00" } } }, "must be a positive amount"],
    [
      { ...VALID, rewards: { order: { fixedAmount: "5", appliesToEachItem: true } } },
      "unknown setting(s): appliesToEachItem",
    ],
    [{ ...VALID, rewards: { product: { percentage: 5, appliesToEachItem: true } } }, 'only applies to a "fixedAmount"'],
    [{ ...VALID, rewards: { product: { fixedAmount: "5", appliesToEachItem: "yes" } } }, "must be true or false"],
    [{ ...VALID, rewards: { shipping: { free: false } } }, 'exactly { "free": true }'],
    [{ ...VALID, minimumSubtotal: "-1" }, '"minimumSubtotal" must be an amount of 0 or more'],
    [{ ...VALID, holdout: { percentage: 60, discountId: "x" } }, '"holdout.percentage" must be a number from 0 to 50'],
    [{ ...VALID, holdout: { percentage: 10 } }, '"holdout.discountId" must name the discount'],
    [{ ...VALID, holdout: 10 }, '"holdout" must be an object'],
    [{ ...VALID, message: 42 }, '"message" must be text.'],
  ])("rejects %j with a clear message", (value, expected) => {
    const problems = problemsOf(parseConfiguration(value));
    expect(problems.join("\n")).toContain(expected);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(parseConfiguration({ version: 1, segments: "champions", rewards: null, message: 1 }));
    expect(problems).toHaveLength(3);
  });

  it("property: never throws, and every accepted configuration is accepted again after a JSON round trip", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseConfiguration(value);
        if (result.ok) expect(parseConfiguration(JSON.parse(JSON.stringify(result.configuration))).ok).toBe(true);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          version: fc.constantFrom(1, 2, "1"),
          segments: fc.array(fc.string(), { maxLength: 3 }),
          rewards: fc.dictionary(
            fc.constantFrom("product", "order", "shipping", "other"),
            fc.record(
              { percentage: fc.double(), fixedAmount: fc.oneof(fc.string(), fc.double()), free: fc.boolean() },
              { requiredKeys: [] },
            ),
          ),
          minimumSubtotal: fc.oneof(fc.string(), fc.double(), fc.constant(null)),
          holdout: fc.record({ percentage: fc.double(), discountId: fc.string() }, { requiredKeys: [] }),
        }),
        (value) => {
          const result = parseConfiguration(value);
          if (result.ok) expect(parseConfiguration(JSON.parse(JSON.stringify(result.configuration))).ok).toBe(true);
          else expect(result.problems.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
