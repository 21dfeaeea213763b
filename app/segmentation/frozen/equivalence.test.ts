// TEMPORARY check of the family-module refactor: the code before it (frozen/,
// a copy of assign.ts, cutoffs.ts, settings.ts, catalog.ts and segments/ at
// the commit before) and the new family modules must agree exactly on random
// shops and random settings: parsed settings or their error messages,
// cut-offs, every customer's memberships, reasons, scores and predictions,
// the derived features custom rules see, and the catalog's entries.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAssigner } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { emptyCustomerFeatures } from "../features/customer";
import { type InvalidSettingsError, parseSettings } from "../settings";
import { SHOP_AS_OF, shopArb } from "../testing/arbitraries";
import { settingsInputArb } from "../testing/settingsArbitraries";
import { createAssigner as oldCreateAssigner } from "./assign";
import { segmentCatalog as oldSegmentCatalog } from "./catalog";
import { fitShop as oldFitShop } from "./cutoffs";
import { parseSettings as oldParseSettings } from "./settings";

function parsed(parse: (input: unknown) => unknown, input: unknown): unknown {
  try {
    return { ok: parse(input) };
  } catch (e) {
    // The frozen copy has its own InvalidSettingsError class: compare what both carry.
    const issues = (e as InvalidSettingsError).issues;
    if (Array.isArray(issues)) return { issues: [...issues].sort() };
    throw e;
  }
}

describe("family modules = the code before them", () => {
  it("parse settings the same, with the same messages", () => {
    fc.assert(
      fc.property(fc.oneof(settingsInputArb(), settingsInputArb({ validOnly: false })), (input) => {
        expect(parsed(parseSettings, input)).toEqual(parsed(oldParseSettings, input));
      }),
      { numRuns: 3000 },
    );
  });

  it("fit the same cut-offs and assign the same memberships, reasons, scores and predictions", () => {
    let fitted = 0;
    let customers = 0;
    fc.assert(
      fc.property(
        settingsInputArb(),
        fc.oneof(shopArb(), shopArb(40, 300, 150)),
        fc.integer({ min: -400, max: 30 }),
        (input, orders, asOfShiftDays) => {
          const settings = parseSettings(input);
          const oldSettings = oldParseSettings(input);
          const asOf = SHOP_AS_OF + asOfShiftDays * 86_400_000;
          const table = computeFeatureTable(orders, { timeZone: settings.timeZone });
          const cutoffs = fitShop(table, settings, asOf);
          expect(cutoffs).toEqual(oldFitShop(table, oldSettings, asOf));
          if (cutoffs.predictive.status === "ok") fitted++;
          const next = createAssigner(cutoffs, settings, asOf);
          const before = oldCreateAssigner(cutoffs, oldSettings, asOf);
          const scratch = emptyCustomerFeatures("", table.timeZone);
          for (let i = 0; i < table.size; i++) {
            const cf = table.customerInto(i, scratch);
            const a = next.assign(cf);
            const b = before.assign(cf);
            expect(a).toEqual(b);
            expect(next.lastDerived()).toEqual(before.lastDerived());
            customers++;
          }
          const strip = segmentCatalog(settings, cutoffs).map(
            ({ tagHandle: _t, definition: _d, model: _m, ...e }) => e,
          );
          expect(strip).toEqual(oldSegmentCatalog(oldSettings));
        },
      ),
      { numRuns: 400, endOnFailure: true },
    );
    // The runs must have exercised the fitted models, not only the not-enough-data path.
    expect(fitted).toBeGreaterThan(40);
    expect(customers).toBeGreaterThan(4000);
  });
});
