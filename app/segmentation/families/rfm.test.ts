import { describe, expect, it } from "vitest";
import { RFM_GROUPS, rfmGroupOf } from "./rfm";

describe("RFM groups", () => {
  it("cover every (R, FM) pair exactly once", () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          const fm = (f + m) / 2;
          const hits = RFM_GROUPS.filter((g) =>
            g.ranges.some((x) => r >= x.r[0] && r <= x.r[1] && fm >= x.fm[0] && fm <= x.fm[1]),
          );
          expect(hits).toHaveLength(1);
          expect(rfmGroupOf(r, f, m)).toBe(hits[0]);
        }
      }
    }
    expect(RFM_GROUPS.map((g) => g.handle)).toHaveLength(11);
  });
});
