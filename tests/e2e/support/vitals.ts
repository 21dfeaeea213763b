/**
 * Core Web Vitals in the browser under test, as Built for Shopify defines its
 * thresholds (LCP ≤ 2.5 s, CLS ≤ 0.1, INP ≤ 200 ms; issue 17), measured with
 * the browser's own PerformanceObserver entries (ADR 039), the ones the
 * `web-vitals` library reads:
 * - LCP: the last `largest-contentful-paint` entry before the first input;
 * - CLS: the largest session window of `layout-shift` entries without recent
 *   input (shifts less than 1 s apart, a window at most 5 s long);
 * - INP: the longest interaction (event entries grouped by interactionId; the
 *   `first-input` entry counts too), which is the definition for pages with
 *   fewer than 50 interactions. The browser reports event entries of 16 ms
 *   or more, so an interaction faster than that counts as at most 16 ms.
 * The observers are installed before any page script runs (addInitScript);
 * a test performs real clicks and keypresses, then reads the figures.
 */
import type { BrowserContext, Page } from "playwright-core";

export const THRESHOLDS = { lcpMs: 2_500, cls: 0.1, inpMs: 200 } as const;

export interface Vitals {
  /** Time to first byte of the document (the server's part of the load: loaders and rendering), ms. */
  ttfbMs: number;
  /** Largest Contentful Paint, ms since navigation start; null if the browser reported none. */
  lcpMs: number | null;
  cls: number;
  /** Interaction to Next Paint, ms; null if no interaction happened on the page. */
  inpMs: number | null;
  /** The slowest interaction's event, target and where its time went (null when none was reported). */
  inpEvent: string | null;
  /** True when every interaction was under the browser's 16 ms reporting threshold (inpMs is then that bound). */
  inpUnder16: boolean;
  /** Clicks and keypresses the page saw. */
  interactions: number;
}

// Plain JavaScript (a string, not a function): the test's compiler may add helpers to a function that the page lacks.
const OBSERVERS = `(() => {
  const v = { lcp: null, cls: 0, win: 0, winStart: -1, winLast: -1, inp: null, ids: new Set() };
  Object.defineProperty(window, "__e2eVitals", { value: v });
  const observe = (type, options, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true, ...options });
    } catch (error) {
      v["unsupported_" + type] = String(error);
    }
  };
  observe("largest-contentful-paint", {}, (e) => { v.lcp = e.renderTime || e.loadTime || e.startTime; });
  observe("layout-shift", {}, (e) => {
    if (e.hadRecentInput) return;
    if (v.winStart < 0 || e.startTime - v.winLast > 1000 || e.startTime - v.winStart > 5000) {
      v.win = 0;
      v.winStart = e.startTime;
    }
    v.win += e.value;
    v.winLast = e.startTime;
    v.cls = Math.max(v.cls, v.win);
  });
  const interaction = (e) => {
    if (!e.interactionId) return;
    v.ids.add(e.interactionId);
    if (e.duration > (v.inp ?? -1)) {
      const t = e.target;
      const label = t ? t.tagName.toLowerCase() + (t.id ? "#" + t.id : "") + (t.name ? "[name=" + t.name + "]" : "") : "?";
      const delay = Math.round(e.processingStart - e.startTime);
      const processing = Math.round(e.processingEnd - e.processingStart);
      v.worst = e.name + " on " + label + " (input delay " + delay + ", processing " + processing + " ms)";
    }
    v.inp = Math.max(v.inp ?? 0, e.duration);
  };
  observe("event", { durationThreshold: 16 }, interaction);
  observe("first-input", {}, interaction);
  const key = (e) => { if (!e.repeat) v.keys = (v.keys ?? 0) + 1; };
  addEventListener("keydown", key, true);
  addEventListener("pointerdown", () => { v.pointers = (v.pointers ?? 0) + 1; }, true);
})();`;

/** Installs the observers in every page of the context, from the first byte of each document. */
export async function observeVitals(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: OBSERVERS });
}

/** The figures of the current document so far (call after the page's interactions). */
export async function readVitals(page: Page): Promise<Vitals> {
  // Lets the observers' callbacks for the last frames run.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
  const raw = await page.evaluate(() => {
    const v = (window as unknown as { __e2eVitals?: Record<string, unknown> & { ids: Set<number> } }).__e2eVitals;
    if (!v) return null;
    const unsupported = Object.keys(v).filter((k) => k.startsWith("unsupported_"));
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
    return {
      ttfb: navigation ? navigation.responseStart : 0,
      lcp: v.lcp as number | null,
      cls: v.cls as number,
      inp: v.inp as number | null,
      worst: (v.worst as string | undefined) ?? null,
      ids: v.ids.size,
      inputs: ((v.keys as number) ?? 0) + ((v.pointers as number) ?? 0),
      unsupported: unsupported.map((k) => `${k.slice(12)}: ${String(v[k])}`),
    };
  });
  if (!raw) throw new Error("the web-vitals observers are not installed on this page (observeVitals)");
  if (raw.unsupported.length) throw new Error(`this browser cannot observe ${raw.unsupported.join("; ")}`);
  // An interaction faster than the 16 ms reporting threshold leaves no event entry: it counts as 16 ms at most.
  const inpMs = raw.inp ?? (raw.inputs > 0 ? 16 : null);
  return {
    ttfbMs: Math.round(raw.ttfb),
    lcpMs: raw.lcp === null ? null : Math.round(raw.lcp),
    cls: Math.round(raw.cls * 1000) / 1000,
    inpMs: inpMs === null ? null : Math.round(inpMs),
    inpEvent: raw.worst,
    inpUnder16: raw.inp === null && raw.inputs > 0,
    interactions: Math.max(raw.ids, raw.inputs),
  };
}

/** "LCP 412 ms  CLS 0.002  INP 24 ms" */
export function formatVitals(v: Vitals): string {
  const inp = v.inpMs === null ? "-" : v.inpUnder16 ? "<16 ms" : `${v.inpMs} ms, ${v.inpEvent ?? "?"}`;
  return `TTFB ${v.ttfbMs} ms  LCP ${v.lcpMs ?? "-"} ms  CLS ${v.cls.toFixed(3)}  INP ${inp} (${v.interactions} inputs)`;
}

/** The thresholds the figures miss, as messages (empty when the page meets all three). */
export function vitalsProblems(vitals: Vitals): string[] {
  const problems: string[] = [];
  if (vitals.lcpMs === null) problems.push("no LCP reported");
  else if (vitals.lcpMs > THRESHOLDS.lcpMs) problems.push(`LCP ${vitals.lcpMs} ms > ${THRESHOLDS.lcpMs} ms`);
  if (vitals.cls > THRESHOLDS.cls) problems.push(`CLS ${vitals.cls} > ${THRESHOLDS.cls}`);
  if (vitals.inpMs === null) problems.push("no interaction measured for INP");
  else if (vitals.inpMs > THRESHOLDS.inpMs) problems.push(`INP ${vitals.inpMs} ms > ${THRESHOLDS.inpMs} ms`);
  return problems;
}
