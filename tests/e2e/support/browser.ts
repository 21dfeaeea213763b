/**
 * Debian's Chromium driven by playwright-core (no browser download), headless
 * without a sandbox. Every page visited through `visit` is checked: no
 * console error or uncaught exception, no serious or critical axe-core
 * violation; its load time is measured and a screenshot is saved under
 * test-results/e2e/.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const ARTIFACTS = path.resolve("test-results/e2e");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface PageCheck {
  name: string;
  url: string;
  loadMs: number;
  consoleErrors: string[];
  axeViolations: Array<{ id: string; impact: string; help: string; nodes: string[] }>;
  screenshot: string;
}

export interface E2eBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions since the last `takeErrors`. */
  takeErrors(): string[];
  /** Opens `url`, waits for the network to settle, measures, checks and screenshots it. */
  visit(name: string, url: string): Promise<PageCheck>;
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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
    const axe = await new AxeBuilder({ page }).analyze();
    const axeViolations = axe.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact!, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
    const screenshot = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { name, url: page.url(), loadMs, consoleErrors: takeErrors(), axeViolations, screenshot };
  }

  return {
    browser,
    context,
    page,
    takeErrors,
    async visit(name, url) {
      const started = performance.now();
      await page.goto(url, { waitUntil: "load" });
      const loadMs = Math.round(performance.now() - started);
      await page.waitForLoadState("networkidle");
      return check(name, loadMs);
    },
    check,
    async close() {
      await browser.close();
    },
  };
}

/** One line per page: its load time against the 1 s target. */
export function printTimings(checks: PageCheck[]): void {
  const lines = checks.map(
    (c) => `  ${c.name.padEnd(22)} ${String(c.loadMs).padStart(5)} ms  ${c.loadMs < 1000 ? "ok" : "over 1 s"}`,
  );
  process.stdout.write(`\nPage loads (document load event, warm dev server):\n${lines.join("\n")}\n`);
}
