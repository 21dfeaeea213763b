import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TrendChart } from "./charts";

const label = (key: string) => key;

describe("TrendChart", () => {
  it("draws a series of one day (a shop's first snapshot) as a point, and longer series as lines", () => {
    const oneDay = renderToStaticMarkup(
      <TrendChart days={["2026-12-07"]} series={[{ segment: "rfm/champions", sizes: [563] }]} label={label} />,
    );
    expect(oneDay).toMatch(/<circle [^>]*r="3.5"/);
    expect(oneDay).not.toContain("<polyline");

    const week = renderToStaticMarkup(
      <TrendChart
        days={["2026-12-05", "2026-12-06", "2026-12-07"]}
        series={[
          { segment: "rfm/champions", sizes: [null, 560, 563] },
          { segment: "rfm/loyal", sizes: [null, null, 630] },
          { segment: "rfm/new", sizes: [null, null, null] },
        ]}
        label={label}
      />,
    );
    expect(week.match(/<polyline /g)).toHaveLength(1);
    expect(week.match(/<circle /g)).toHaveLength(1);
  });
});
