/**
 * Debian's Chromium driven by playwright-core (no browser download), headless
 * without a sandbox. Every page visited through `visit` is checked: no
 * console error or uncaught exception, no serious or critical axe-core
 * violation; its load time and its web vitals (LCP, CLS, and INP after a real
 * click and keypress: ./vitals.ts) are measured and a screenshot is saved
 * under test-results/e2e/.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { formatVitals, observeVitals, readVitals, THRESHOLDS, vitalsProblems, type Vitals } from "./vitals";

const ARTIFACTS = path.resolve("test-results/e2e");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface PageCheck {
  name: string;
  url: string;
  loadMs: number;
  consoleErrors: string[];
  axeViolations: Array<{ id: string; impact: string; help: string; nodes: string[] }>;
  screenshot: string;
  /** The load times of each opening, when `visit` opened the page several times (loadMs is their median). */
  loadRuns?: number[];
  /** Web vitals of a page opened by `visit` (full document loads; the median of each figure). */
  vitals?: Vitals;
}

const VISITS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function medianVitals(runs: Vitals[]): Vitals {
  const pick = <T>(f: (v: Vitals) => T) => runs.map(f);
  const lcp = pick((v) => v.lcpMs).filter((v): v is number => v !== null);
  const inp = pick((v) => v.inpMs).filter((v): v is number => v !== null);
  const inpMs = inp.length ? median(inp) : null;
  return {
    ttfbMs: median(pick((v) => v.ttfbMs)),
    lcpMs: lcp.length === runs.length ? median(lcp) : null,
    cls: median(pick((v) => v.cls)),
    inpMs,
    inpEvent: runs.find((v) => v.inpMs === inpMs)?.inpEvent ?? null,
    inpUnder16: inpMs !== null && runs.filter((v) => v.inpUnder16).length > runs.length / 2,
    interactions: median(pick((v) => v.interactions)),
  };
}

/** What `visit` does on the loaded page before reading INP: by default a click on its heading, then Tab. */
type Interaction = (page: Page) => Promise<void>;

const clickHeadingAndTab: Interaction = async (page) => {
  await page.locator("h1").first().click();
  await page.keyboard.press("Tab");
};

export interface E2eBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions since the last `takeErrors`. */
  takeErrors(): string[];
  /**
   * Opens `url`, waits for the network to settle, performs `interact` (real input), reads the web vitals,
   * checks and screenshots it.
   */
  visit(name: string, url: string, interact?: Interaction): Promise<PageCheck>;
  /** Checks and screenshots the page as it is now (after clicks), with the load time given. */
  check(name: string, loadMs: number): Promise<PageCheck>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<E2eBrowser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  // Reduced motion, as a merchant may set it: the charts (polaris-viz) are then drawn at once instead of growing for
  // a second, so a screenshot shows their bars rather than whatever the animation had drawn by then.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
  await observeVitals(context);
  // No request interception here: Playwright turns the browser's HTTP cache off for a context with a route, and then
  // every opening downloaded every script and stylesheet again, which a merchant's browser keeps (the build's assets
  // are immutable for a year). The local preview links nothing outside the app (app/root.tsx leaves Shopify's CDN
  // font out), and any request that left this machine would fail and show as a console error.
  const page = await context.newPage();
  let errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  const takeErrors = () => {
    const out = errors;
    errors = [];
    return out;
  };

  async function check(name: string, loadMs: number): Promise<PageCheck> {
    const axeViolations = await axeCheck(page);
    const screenshot = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { name, url: page.url(), loadMs, consoleErrors: takeErrors(), axeViolations, screenshot };
  }

  return {
    browser,
    context,
    page,
    takeErrors,
    async visit(name, url, interact = clickHeadingAndTab) {
      // The machine is shared: the page is opened VISITS times and each figure is the median of the runs.
      const loads: number[] = [];
      const runs: Vitals[] = [];
      for (let i = 0; i < VISITS; i++) {
        const started = performance.now();
        await page.goto(url, { waitUntil: "load" });
        loads.push(Math.round(performance.now() - started));
        await page.waitForLoadState("networkidle");
        await interact(page);
        runs.push(await readVitals(page));
      }
      return { ...(await check(name, median(loads))), loadRuns: loads, vitals: medianVitals(runs) };
    },
    check,
    async close() {
      await browser.close();
    },
  };
}

/** One line per page: its load time against the 1 s target, and its web vitals against Built for Shopify's. */
export function printTimings(checks: PageCheck[]): void {
  const lines = checks.map((c) => {
    const runs = c.loadRuns ? ` (${c.loadRuns.join(", ")})` : "";
    const load = `${String(c.loadMs).padStart(5)} ms  ${c.loadMs < 1000 ? "ok      " : "over 1 s"}${runs.padEnd(20)}`;
    const vitals = c.vitals
      ? `  ${formatVitals(c.vitals)}  ${vitalsProblems(c.vitals).join(", ") || "ok"}`
      : "  (reached by a click: no document load, no vitals)";
    return `  ${c.name.padEnd(22)} ${load}${vitals}`;
  });
  process.stdout.write(
    `\nPage loads (document load event, built app, NODE_ENV=development; the median of ${VISITS} openings) and web vitals ` +
      `(targets LCP <= ${THRESHOLDS.lcpMs} ms, CLS <= ${THRESHOLDS.cls}, INP <= ${THRESHOLDS.inpMs} ms):\n${lines.join("\n")}\n`,
  );
}

/** axe-core's serious and critical violations on the page as it is now, as messages. */
export async function seriousViolations(page: Page): Promise<string[]> {
  return (await axeCheck(page)).map((v) => `${v.impact} ${v.id}: ${v.nodes.join(", ")}`);
}

async function axeCheck(page: Page): Promise<PageCheck["axeViolations"]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
}
