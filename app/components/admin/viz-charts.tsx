// Browser-only: loaded by charts.tsx after the page is mounted.
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { Series } from "./charts";

export default function VizCharts({ kind, data }: { kind: "bar" | "line"; data: Series[] }) {
  return (
    <PolarisVizProvider themes={{ Light: { chartContainer: { backgroundColor: "transparent" } } }}>
      {kind === "bar" ? (
        <BarChart data={data} theme="Light" showLegend={false} />
      ) : (
        <LineChart data={data} theme="Light" />
      )}
    </PolarisVizProvider>
  );
}
