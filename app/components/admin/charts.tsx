// Charts with @shopify/polaris-viz. The library reads `window` while it
// renders, so it cannot render on the server (ADR 027): charts are loaded and
// drawn in the browser only, after a skeleton of the same height, and each
// chart's numbers are also given as a table for screen readers and the
// server-rendered page.
import { lazy, Suspense, useEffect, useState } from "react";
import { SkeletonBodyText } from "@shopify/polaris";

// The library's stylesheet is imported by viz-charts.tsx: the build loads it with that chunk, before the first
// chart is drawn, instead of linking it in the document of every page with charts.
const Viz = lazy(() => import("./viz-charts"));

export interface Series {
  name: string;
  data: Array<{ key: string; value: number }>;
}

function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

function Placeholder() {
  return (
    <div style={{ height: 240 }} aria-hidden="true">
      <SkeletonBodyText lines={6} />
    </div>
  );
}

/** A bar or line chart drawn in the browser; `label` names it for assistive technology. */
export function Chart({ kind, data, label }: { kind: "bar" | "line"; data: Series[]; label: string }) {
  const mounted = useMounted();
  return (
    <div style={{ height: 240 }} role="img" aria-label={label}>
      {mounted ? (
        <Suspense fallback={<Placeholder />}>
          <Viz kind={kind} data={data} />
        </Suspense>
      ) : (
        <Placeholder />
      )}
    </div>
  );
}
