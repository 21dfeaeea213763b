// Invariants every family module keeps: the module list follows FAMILIES,
// catalog keys are unique and their tag handles are the write-back's default
// tag names, settings slices have their defaults, and the threshold words in
// definitions mean what the scoring does.
import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import { segmentTagName } from "../../writeback/tags";
import { segmentCatalog } from "../catalog";
import { quantileEdges, isAbove } from "../math/quantiles";
import { DEFAULT_SETTINGS, parseSettings, type Settings, settingsSchema } from "../settings";
import { FAMILIES } from "../types";
import { aboveEdgeWords, notAboveEdgeWords } from "./family";
import { FAMILY_MODULES } from "./index";

const withExtras = parseSettings({
  occasion: { windows: [{ handle: "summer-sale", title: "Summer sale", start: "07-01", end: "07-15" }] },
  customSegments: [{ handle: "vip", title: "VIP", rule: { feature: "orders", op: "gte", value: 5 } }],
});

describe("family modules", () => {
  it("run and report in the order of FAMILIES, one module each", () => {
    expect(FAMILY_MODULES.map((m) => m.family)).toEqual([...FAMILIES]);
  });

  it("give every catalog entry a unique key and the write-back's default tag name as tag handle", () => {
    for (const settings of [DEFAULT_SETTINGS, withExtras]) {
      const catalog = segmentCatalog(settings);
      expect(new Set(catalog.map((e) => e.key)).size).toBe(catalog.length);
      for (const e of catalog) {
        expect(e.key).toBe(`${e.family}/${e.handle}`);
        expect(e.tagHandle).toBe(segmentTagName(e.key));
        expect(e.title.length).toBeGreaterThan(0);
        expect(e.definition.length).toBeGreaterThan(0);
        expect(e.model).toBeUndefined();
      }
    }
    const keys = segmentCatalog(withExtras).map((e) => e.key);
    expect(keys).toContain("occasion/summer-sale");
    expect(keys).toContain("custom/vip");
  });

  it("assemble the settings schema from their slices, defaults included", () => {
    const shape = Object.keys(settingsSchema.shape);
    expect(shape).toEqual([
      "timeZone",
      "currencyDecimals",
      "hemisphere",
      "usage",
      "loyalty",
      "predictive",
      "occasion",
      "benefits",
      "marketing",
      "customSegments",
    ]);
    for (const m of FAMILY_MODULES) {
      if (!m.settings) continue;
      expect(DEFAULT_SETTINGS[m.settings.key as keyof typeof DEFAULT_SETTINGS]).toEqual(
        m.settings.schema.parse(undefined),
      );
    }
  });

  it("keep the Settings type precise (checked by tsc)", () => {
    expectTypeOf(DEFAULT_SETTINGS.usage.heavyTopShare).toEqualTypeOf<number>();
    expectTypeOf(DEFAULT_SETTINGS.predictive.timeUnit).toEqualTypeOf<"day" | "week">();
    expectTypeOf(DEFAULT_SETTINGS.occasion.mothersDay.country).toEqualTypeOf<"us" | "uk">();
    expectTypeOf<Settings["customSegments"][number]["handle"]>().toEqualTypeOf<string>();
    expectTypeOf(DEFAULT_SETTINGS.hemisphere).toEqualTypeOf<"north" | "south">();
    // @ts-expect-error a key no family declares
    expect(DEFAULT_SETTINGS.rfm).toBeUndefined();
  });

  it("name the field in cross-field messages, prefixed with the slice", () => {
    expect(() => parseSettings({ usage: { heavyTopShare: 0.7, moderateNextShare: 0.4 } })).toThrow(
      "usage: heavyTopShare + moderateNextShare must not exceed 1",
    );
  });
});

describe("threshold words", () => {
  const data = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 60 });
  const probability = fc.double({ min: 0.01, max: 0.99, noNaN: true });

  it('say "at least e" exactly when e itself counts as above the edge, "more than e" otherwise', () => {
    fc.assert(
      fc.property(data, probability, (values, p) => {
        const edges = quantileEdges(Float64Array.from(values).sort(), [p]);
        const e = edges.values[0];
        const words = aboveEdgeWords(edges, 0);
        expect(words).toBe(`${isAbove(e, edges, 0) ? "at least" : "more than"} ${e}`);
        expect(notAboveEdgeWords(edges, 0)).toBe(`${isAbove(e, edges, 0) ? "less than" : "at most"} ${e}`);
        // Values on either side of the edge follow the words.
        expect(isAbove(e + 0.5, edges, 0)).toBe(true);
        expect(isAbove(e - 0.5, edges, 0)).toBe(false);
      }),
    );
  });
});
