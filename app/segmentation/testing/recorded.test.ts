// The engine against its recorded outputs (see recordedCases.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAssigner } from "../assign";
import { fitShop } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { parseSettings } from "../settings";
import { digest, type Recording, record, recordedCases } from "./recorded-cases";

const recorded: Recording[] = JSON.parse(readFileSync(join(__dirname, "recorded-assignments.json"), "utf8"));

describe("recorded assignments", () => {
  const cases = recordedCases();

  it("are for the cases the arbitraries generate", () => {
    expect(cases.map(digest), "the generated cases changed (fast-check or testing/*Arbitraries.ts): re-record").toEqual(
      recorded.map((r) => r.inputs),
    );
  });

  it("match: the same cut-offs, and every customer's memberships, reasons, scores and predictions", () => {
    let customers = 0;
    cases.forEach((c, k) => {
      const settings = parseSettings(c.settingsInput);
      const table = computeFeatureTable(c.orders, { timeZone: settings.timeZone });
      const cutoffs = fitShop(table, settings, c.asOf);
      const assigner = createAssigner(cutoffs, settings, c.asOf);
      const now = record(c, { table, cutoffs, assign: (i) => assigner.assign(table.customer(i)) });
      expect(now.cutoffs, `case ${k}: cut-offs`).toBe(recorded[k].cutoffs);
      for (const [id, d] of Object.entries(recorded[k].customers)) {
        expect(
          now.customers[id],
          `case ${k}, customer ${id}: ${JSON.stringify(assigner.assign(table.customer(table.indexOf(id))))}`,
        ).toBe(d);
      }
      expect(Object.keys(now.customers).length).toBe(Object.keys(recorded[k].customers).length);
      customers += table.size;
    });
    expect(customers).toBeGreaterThan(300);
  });
});
