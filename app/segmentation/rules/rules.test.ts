import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitShop } from "../cutoffs";
import { customerFeaturesFromOrders } from "../features/customer";
import { InvalidSettingsError, parseSettings } from "../settings";
import { emptyDerived } from "../segments/derive";
import { compileRule } from "./evaluate";
import { previewCustomRule } from "./preview";
import type { Rule } from "./schema";
import { validateCustomRule } from "./validate";

describe("validateCustomRule", () => {
  it("accepts a valid nested rule", () => {
    expect(
      validateCustomRule({
        all: [
          { feature: "orders", op: "gte", value: 3 },
          {
            any: [
              {
                feature: "acquisitionChannel",
                op: "in",
                value: ["email", "sms"],
              },
              {
                feature: "lastOrderDate",
                op: "between",
                value: ["2025-01-01", "2025-03-31"],
              },
            ],
          },
          { not: { feature: "discountedOrderShare", op: "gt", value: 0.5 } },
        ],
      }),
    ).toEqual([]);
  });
  it("names an unknown feature and suggests the closest one", () => {
    expect(validateCustomRule({ feature: "ordrs", op: "gt", value: 1 })).toEqual([
      'rule.feature: unknown feature "ordrs" (did you mean "orders"?)',
    ]);
  });
  it("rejects comparing a date with a number", () => {
    expect(
      validateCustomRule({
        all: [{ feature: "firstOrderDate", op: "lt", value: 5 }],
      }),
    ).toEqual([
      'rule.all.0.value: "firstOrderDate" is a date; compare it with a date like "2025-01-31", not the number 5',
    ]);
  });
  it("lists every error, with its place", () => {
    const errors = validateCustomRule({
      any: [
        { feature: "orders", op: "between", value: [5, 2] },
        { feature: "topSeason", op: "gt", value: "summer" },
        { feature: "orders", op: "approx", value: 1 },
        { feature: "recencyDays", op: "lte" },
        {},
      ],
    });
    expect(errors).toEqual([
      'rule.any.0.value: "between" low 5 is above high 2',
      'rule.any.1.op: "topSeason" is text; use eq, ne, in or not_in, not "gt"',
      'rule.any.2.op: unknown operator the text "approx" for "orders" (use one of eq, ne, gt, gte, lt, lte, between, in, not_in, exists, missing)',
      'rule.any.3: operator "lte" on "recencyDays" needs a "value"',
      'rule.any.4: expected "all", "any", "not" or "feature"; got keys (none)',
    ]);
  });
  it("reports invalid JSON text", () => {
    expect(validateCustomRule("{nope")[0]).toMatch(/^the rule is not valid JSON/);
  });
  it("rejects bad rules when settings are saved", () => {
    expect(() =>
      parseSettings({
        customSegments: [
          {
            handle: "x",
            title: "X",
            rule: { feature: "firstOrderDate", op: "eq", value: 3 },
          },
        ],
      }),
    ).toThrow(InvalidSettingsError);
    try {
      parseSettings({
        customSegments: [
          {
            handle: "Bad Handle",
            title: "X",
            rule: { feature: "nope", op: "eq", value: 3 },
          },
        ],
      });
    } catch (e) {
      expect((e as InvalidSettingsError).issues).toEqual([
        'customSegments.0.handle: handles are kebab-case: lowercase letters, digits and single dashes, e.g. "vip-gifting"',
        'customSegments.0.rule.feature: unknown feature "nope"',
      ]);
    }
  });
});

describe("settings", () => {
  it("fills documented defaults and rejects unknown keys and inconsistent thresholds", () => {
    const s = parseSettings({});
    expect(s.usage).toEqual({
      heavyTopShare: 0.2,
      moderateNextShare: 0.3,
      minTenureDays: 90,
    });
    expect(s.loyalty.lapsedAfterDays).toBe(180);
    expect(() => parseSettings({ usage: { heavyTopshare: 0.1 } })).toThrow(/heavyTopshare/);
    expect(() => parseSettings({ loyalty: { atRiskAfterDays: 200 } })).toThrow(/atRiskAfterDays must be smaller/);
    expect(() => parseSettings({ timeZone: "Mars/Olympus" })).toThrow(/unknown time zone/);
  });
});

describe("previewCustomRule", () => {
  it("counts matches and samples them with reasons", () => {
    const settings = parseSettings({});
    const asOf = Date.UTC(2025, 5, 1);
    const customers = Array.from({ length: 10 }, (_, i) =>
      customerFeaturesFromOrders(
        `c${i}`,
        Array.from({ length: i + 1 }, (_, k) => ({
          id: `o${i}-${k}`,
          customerId: `c${i}`,
          processedAt: asOf - (k * 20 + 1) * 86_400_000,
          totalMinor: 1000,
        })),
        "UTC",
      ),
    );
    const cutoffs = fitShop(customers, settings, asOf);
    const res = previewCustomRule({ feature: "orders", op: "gte", value: 8 }, customers, 2, {
      cutoffs,
      settings,
      asOf,
    });
    expect(res).toEqual({
      ok: true,
      count: 3,
      sample: [
        { customerId: "c7", reason: "orders 8 >= 8" },
        { customerId: "c8", reason: "orders 9 >= 8" },
      ],
    });
    expect(
      previewCustomRule({ feature: "nope", op: "gte", value: 8 }, customers, 2, { cutoffs, settings, asOf }).ok,
    ).toBe(false);
  });
});

describe("compileRule", () => {
  const feature = fc.constantFrom("orders", "recencyDays", "totalSpentMinor");
  const value = fc.integer({ min: 0, max: 6 });
  const leaf: fc.Arbitrary<Rule> = fc.oneof(
    fc.record({ feature, op: fc.constantFrom("eq", "ne", "gt", "gte", "lt", "lte"), value }),
    fc.record({ feature, op: fc.constant("between"), value: fc.tuple(value, value) }),
    fc.record({ feature, op: fc.constantFrom("in", "not_in"), value: fc.array(value, { maxLength: 3 }) }),
    fc.record({ feature, op: fc.constantFrom("exists", "missing") }),
  ) as fc.Arbitrary<Rule>;
  const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.record({ all: fc.array(tie("rule"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie("rule"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie("rule") }),
    ),
  }));
  const row = fc.record({
    orders: fc.option(value, { nil: null }),
    recencyDays: fc.option(value, { nil: null }),
    totalSpentMinor: fc.option(value, { nil: null }),
  });

  it('without reasons matches the customers it explains with reasons, answering "" (ADR 067)', () => {
    fc.assert(
      fc.property(rule, fc.array(row, { minLength: 1, maxLength: 8 }), (r, rows) => {
        const explained = compileRule(r);
        const bare = compileRule(r, { explain: false });
        for (const values of rows) {
          const d = Object.assign(emptyDerived(), values);
          const reason = explained(d);
          expect(bare(d)).toBe(reason === null ? null : "");
          if (reason !== null) expect(reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
