// Browser-only: loaded by charts.tsx after the page is mounted.
import { useEffect, useRef } from "react";
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";
import type { Series } from "./charts";

/**
 * polaris-viz 16 draws its bar chart as `<svg role="list">` whose bars are not
 * `listitem`s, which axe reports as a critical ARIA error (aria-required-children).
 * The figures are given in text beside every chart, so the drawing is marked as
 * one image instead, whenever the library (re)draws it.
 */
function useChartSvgAsImage(label: string) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const fix = () => {
      for (const svg of container.querySelectorAll('svg[role="list"]')) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", label);
      }
    };
    fix();
    const observer = new MutationObserver(fix);
    observer.observe(container, { childList: true, subtree: true, attributes: true, attributeFilter: ["role"] });
    return () => observer.disconnect();
  }, [label]);
  return ref;
}

export default function VizCharts({ kind, data }: { kind: "bar" | "line"; data: Series[] }) {
  const ref = useChartSvgAsImage(data.map((series) => series.name).join(", "));
  return (
    <div ref={ref}>
      <PolarisVizProvider themes={{ Light: { chartContainer: { backgroundColor: "transparent" } } }}>
        {kind === "bar" ? (
          <BarChart data={data} theme="Light" showLegend={false} />
        ) : (
          <LineChart data={data} theme="Light" />
        )}
      </PolarisVizProvider>
    </div>
  );
}
