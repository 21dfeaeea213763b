// FEATURE_VERSION guards the features a recompute keeps for the next one (the
// app's FeatureRead, docs/decisions/051-reuse-of-an-unchanged-read.md): a
// recompute fits from kept features only if the same version read them. This
// test fails when what the accumulator computes (or how a table is encoded)
// changes without a new version.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseSettings } from "../settings";
import { recordedCases } from "../testing/recorded-cases";
import { computeFeatureTable, FEATURE_VERSION } from "./accumulator";
import { encodeFeatureTable } from "./transfer";

/** The encoded feature tables of the engine's recorded cases (testing/recorded-cases.ts), by FEATURE_VERSION. */
const FEATURES_DIGEST: Record<number, string> = {
  1: "5273afbe31b1f9ed",
  2: "e236be678bbe98a0",
};

describe("FEATURE_VERSION", () => {
  it("names the features the recorded cases give", () => {
    const hash = createHash("sha256");
    for (const c of recordedCases()) {
      const { timeZone } = parseSettings(c.settingsInput);
      hash.update(encodeFeatureTable(computeFeatureTable(c.orders, { timeZone })));
    }
    expect(
      hash.digest("hex").slice(0, 16),
      "the features changed: bump FEATURE_VERSION (kept reads of the old features must not be used) and record " +
        "the new digest here (if only the recorded cases changed, record it under the same version)",
    ).toBe(FEATURES_DIGEST[FEATURE_VERSION]);
  });
});
