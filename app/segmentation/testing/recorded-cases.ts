// Recorded outputs of the engine on fixed random cases (settings + shop +
// as-of date sampled from the arbitraries with a fixed seed): one digest of
// the cut-offs and one per customer assignment (memberships with reasons,
// scores, predictions). recorded.test.ts compares the current engine to the
// file, so a change of any membership or reason shows up, with the case and
// customer. The file was first recorded from the engine before the family
// modules (commit "Segment families as modules"); re-record after an
// intentional change with `npx tsx app/segmentation/testing/record-assignments.ts`.
import { createHash } from "node:crypto";
import fc from "fast-check";
import type { ShopCutoffs } from "../cutoffs";
import type { FeatureTable } from "../features/accumulator";
import type { CustomerAssignment, EngineOrder } from "../types";
import { SHOP_AS_OF, shopArb } from "./arbitraries";
import { settingsInputArb } from "./settings-arbitraries";

export interface RecordedCase {
  settingsInput: Record<string, unknown>;
  orders: EngineOrder[];
  asOf: number;
}

export interface Recording {
  /** Digest of the generated inputs: differs when fast-check or the arbitraries generate other cases. */
  inputs: string;
  cutoffs: string;
  /** customerId -> digest of the assignment. */
  customers: Record<string, string>;
}

const RECORDED_SEED = 20261202;

export function recordedCases(): RecordedCase[] {
  const caseArb = (shop: fc.Arbitrary<EngineOrder[]>) =>
    fc.record({
      settingsInput: settingsInputArb(),
      orders: shop,
      asOf: fc.integer({ min: -400, max: 30 }).map((d) => SHOP_AS_OF + d * 86_400_000),
    });
  return [
    ...fc.sample(caseArb(shopArb()), { seed: RECORDED_SEED, numRuns: 20 }),
    ...fc.sample(caseArb(shopArb(40, 300, 150)), { seed: RECORDED_SEED + 1, numRuns: 10 }),
  ];
}

export function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

/** What the engine gives for one case, as digests. */
export function record(
  c: RecordedCase,
  engine: {
    table: FeatureTable;
    cutoffs: ShopCutoffs;
    assign: (i: number) => CustomerAssignment;
  },
): Recording {
  const customers: Record<string, string> = {};
  for (let i = 0; i < engine.table.size; i++) {
    const a = engine.assign(i);
    customers[a.customerId] = digest(a);
  }
  return { inputs: digest(c), cutoffs: digest(engine.cutoffs), customers };
}
