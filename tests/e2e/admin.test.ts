/**
 * End-to-end: the admin pages in Debian's Chromium against the demo setup
 * (simulator, worker, Remix dev server, local preview), checked on every page
 * for console errors and serious/critical axe violations, with screenshots in
 * test-results/e2e/ and each page's load time (target < 1 s on the Online
 * Retail store) and web vitals printed against Built for Shopify's thresholds
 * (LCP ≤ 2.5 s, CLS ≤ 0.1, INP ≤ 200 ms): measured and printed, never asserted
 * (timings depend on the machine; the developers' guide keeps them out of assertions).
 *  (6) the install backfill's progress bar moves on a generated store of 50,000 orders;
 *  (1) the overview, (2) a segment with a member's reason, (3) a customer lookup,
 *  on the Online Retail store.
 */
import "../writeback/isolated-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, printTimings, type E2eBrowser, type PageCheck } from "./support/browser";
import { ONLINE_RETAIL_AS_OF, ONLINE_RETAIL_FILE, startE2eStack, type E2eStack } from "./support/stack";

const GENERATED = "e2e-generated.myshopify.com";
const RETAIL = "online-retail-demo.myshopify.com";

let stack: E2eStack;
let browser: E2eBrowser;
let retailInstalled: Date;
const checks: PageCheck[] = [];

/** A merchant's click on the RFM grid's R 5 / FM 5 cell (the champions' corner, from the stored scores, ADR 060). */
async function openRfmCell(overviewUrl: string) {
  const page = browser.page;
  await page.goto(overviewUrl, { waitUntil: "networkidle" });
  // R 5, FM 5: the champions' corner, read from the stored scores (ADR 060).
  const cell = page.locator('table.rfm-grid a[href*="?r=5&fm=5"]');
  const shown = Number((await cell.textContent())!.replace(/,/g, ""));
  expect(shown).toBeGreaterThan(0);
  const started = performance.now();
  await cell.click();
  await page.waitForURL(/\/app\/segments\/rfm\/champions\?r=5&fm=5$/);
  await page.waitForLoadState("networkidle");
  const check = await browser.check("segment-rfm-cell", Math.round(performance.now() - started));
  checks.push(check);
  expectClean(check);
  const reasons = await page.locator(".member-reason").allTextContents();
  // The first page of the cell's members (25 a page): as many as the grid said, up to a page.
  expect(reasons.length).toBe(Math.min(shown, 25));
  for (const reason of reasons) expect(reason).toMatch(/^R 5 F [1-5] M [1-5] \(FM 5\): /);
}

function expectClean(check: PageCheck) {
  expect(check.consoleErrors, `console errors on ${check.name}`).toEqual([]);
  expect(
    check.axeViolations,
    `serious/critical axe violations on ${check.name}: ${JSON.stringify(check.axeViolations)}`,
  ).toEqual([]);
}

beforeAll(async () => {
  const t0 = performance.now();
  const mark = (what: string) =>
    process.stdout.write(`[e2e] ${what} at ${Math.round((performance.now() - t0) / 1000)} s\n`);
  stack = await startE2eStack({ asOf: ONLINE_RETAIL_AS_OF });
  stack.sim.createShop(GENERATED, { timezone: "Europe/London", currency: "GBP", name: "Generated store" });
  stack.sim.generate(GENERATED, {
    seed: 14,
    customers: 12_000,
    orders: 50_000,
    startDate: "2009-12-01",
    endDate: "2011-12-09",
    discountShare: 0.2,
    seasonality: 0.4,
  });
  mark("generated store ready");
  stack.sim.createShop(RETAIL, { timezone: "Europe/London", currency: "GBP", name: "Online Retail (UCI)" });
  await stack.sim.loadOnlineRetail(RETAIL, ONLINE_RETAIL_FILE);
  mark("Online Retail store loaded");
  await stack.startWorker();
  // The Online Retail store installs (backfill, recompute) while the web app is built.
  retailInstalled = await stack.install("http://127.0.0.1:9", RETAIL);
  await stack.build();
  mark("web app built");
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  if (checks.length) printTimings(checks);
  await browser?.close();
  await stack?.close();
}, 60_000);

describe("admin pages in Chromium", () => {
  // In the clean-clone CI run of 2026-12-02 the bar never showed ("seen: of 0 orders"): the page had loaded before the
  // install job stored the shop, found no shop, and so never polled. A merchant lands on the app right after OAuth,
  // before the install job has run: the page is opened first here, then the install is enqueued.
  it("(6) shows the install backfill's progress bar moving on a store of 50,000 orders", async () => {
    const url = await stack.startWeb(GENERATED);
    try {
      const page = browser.page;
      await stack.authorize(url, GENERATED);
      await page.goto(`${url}/app/activity`, { waitUntil: "load" });
      await page.getByText("Not started yet.").first().waitFor({ timeout: 30_000 });
      const started = performance.now();
      const since = await stack.enqueueInstall(GENERATED);
      const seen: Array<{ done: number; total: number; text: string }> = [];
      // The page polls the run's stored progress: read the bar until the import completes (35-100 s measured on the
      // shared 2-core machine; the bound is for a machine running both e2e files and more).
      while (performance.now() - started < 150_000) {
        if (await page.getByText(/^Imported on /).count()) break;
        // Read in one step: the bar goes away when the import completes, and a locator read after it had gone
        // waited 30 s for it (a failure seen on a loaded machine).
        const now = await page.evaluate(() => {
          const bar = document.querySelector('[data-testid="backfill-progress"]');
          if (!bar) return null;
          return {
            done: Number(bar.getAttribute("data-done")),
            total: Number(bar.getAttribute("data-total") || 0),
            text: (document.querySelector("#backfill-progress-label")?.textContent ?? "").trim(),
          };
        });
        if (now && !seen.some((s) => s.done === now.done && s.total === now.total)) seen.push(now);
        await page.waitForTimeout(250);
      }
      const seconds = Math.round((performance.now() - started) / 1000);
      const moving = seen.filter((s) => s.total > 0 && s.done > 0 && s.done < s.total);
      process.stdout.write(
        `\nbackfill progress seen in ${seconds} s: ${seen.map((s) => `${s.done}/${s.total || "?"}`).join(", ")}\n` +
          `  e.g. "${moving[0]?.text ?? ""}"\n`,
      );
      // Two different values of orders read out of the total, in order, then completion.
      expect(moving.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(2);
      expect(moving.map((s) => s.done)).toEqual(moving.map((s) => s.done).sort((a, b) => a - b));
      for (const s of moving) expect(s.total).toBe(50_000);
      expect(moving[0].text).toMatch(/^[\d,]+ of 50,000 orders read/);
      await page.getByText(/^Imported on /).waitFor({ timeout: 5_000 });
      const check = await browser.check("activity-backfill", Math.round(performance.now() - started));
      expectClean(check);
      expect(since).toBeInstanceOf(Date);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${stack.log.slice(-40).join("\n")}`);
    } finally {
      await stack.stopWeb();
    }
  }, 240_000);

  describe("on the Online Retail store", () => {
    let url: string;
    beforeAll(async () => {
      await stack.waitForRun(RETAIL, "backfill", retailInstalled, 180_000);
      await stack.waitForRun(RETAIL, "recompute", retailInstalled, 240_000);
      // The generated store of (6) is still being segmented and written back after its import: its jobs share the two
      // cores with the web app, the browser and the simulator, and made openings of one page range over 1.1-2.1 s.
      await stack.waitForQuiet(300_000);
      url = await stack.startWeb(RETAIL);
      // One unmeasured visit of each page first (the browser's cache, the server's first queries).
      for (const path of [
        "/app",
        "/app/segments/rfm/champions",
        "/app/customers",
        "/app/segments",
        "/app/activity",
        "/app/privacy",
      ]) {
        await browser.page.goto(`${url}${path}`, { waitUntil: "networkidle" });
      }
      browser.takeErrors();
    }, 600_000);

    it("(1) opens the overview: families, RFM grid, model notes, links to every page", async () => {
      const check = await browser.visit("overview", `${url}/app`);
      checks.push(check);
      expectClean(check);
      const page = browser.page;
      await expect(page.getByRole("heading", { name: "RFM grid" }).count()).resolves.toBe(1);
      await expect(page.locator("table.rfm-grid a").count()).resolves.toBeGreaterThan(10);
      // The Online Retail fit shows almost no dropout: one banner says so for both segments it empties or fills.
      const notes = page.locator(".Polaris-Banner").filter({ hasText: "What the models say" });
      await expect(notes.count()).resolves.toBe(1);
      await expect(notes.getByRole("listitem").allInnerTexts()).resolves.toEqual([
        expect.stringMatching(/^Likely active: Almost no dropout observed/),
        expect.stringMatching(/^Churn risk: Almost no dropout observed/),
      ]);
      for (const name of [
        "Segments",
        "Customers",
        "Insights",
        "Custom segments",
        "Sync and activity",
        "Settings",
        "Privacy",
      ]) {
        expect(await page.getByRole("link", { name, exact: true }).count(), name).toBeGreaterThan(0);
      }
    }, 180_000);

    it("(2) opens a segment from the overview and sees a member's reason, then one cell of the RFM grid", async () => {
      const page = browser.page;
      const started = performance.now();
      await page.getByRole("link", { name: "Champions", exact: true }).first().click();
      await page.waitForURL(/\/app\/segments\/rfm\/champions$/);
      await page.waitForLoadState("networkidle");
      const check = await browser.check("segment", Math.round(performance.now() - started));
      checks.push(check);
      expectClean(check);
      const reason = await page.locator(".member-reason").first().textContent();
      expect(reason).toMatch(/^R 5 F [1-5] M [1-5] \(FM [0-9.]+\): last order \d+ days? ago, \d+ orders?,/);
      // Names come from the simulated store's Admin API at view time.
      expect(await page.getByRole("link", { name: /Open in Shopify admin/ }).count()).toBeGreaterThan(0);
      checks.push(await browser.visit("segment-direct", `${url}/app/segments/rfm/champions`));
      await openRfmCell(`${url}/app`);
    }, 180_000);

    it("(3) looks up a customer by id and by name", async () => {
      const { rows } = await stack.db.query(
        `SELECT m."customerId"::text AS id FROM "SegmentMembership" m JOIN "Shop" s ON s.id = m."shopId"
         WHERE s.domain = $1 AND m.segments @> ARRAY['rfm/champions'] ORDER BY 1 LIMIT 1`,
        [RETAIL],
      );
      const id: string = rows[0].id;
      // Typed key by key: the keypresses are the interactions INP is measured on.
      const lookup = await browser.visit("customers", `${url}/app/customers`, (page) =>
        page.getByLabel("Shopify customer id, name or email").pressSequentially(id),
      );
      checks.push(lookup);
      expectClean(lookup);
      const page = browser.page;
      const started = performance.now();
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForURL(new RegExp(`/app/customers/${id}$`));
      await page.waitForLoadState("networkidle");
      const detail = await browser.check("customer", Math.round(performance.now() - started));
      checks.push(detail);
      expectClean(detail);
      expect(await page.getByText("Recency score", { exact: true }).count()).toBe(1);
      expect(await page.getByText("P(alive)", { exact: true }).count()).toBe(1);
      const name = (await page.locator("h1").first().textContent())!.trim();
      expect(name).not.toMatch(/^Customer \d+$/);
      // By name, through the Admin API's customer search.
      await page.goto(`${url}/app/customers?q=${encodeURIComponent(name)}`, { waitUntil: "networkidle" });
      expect(await page.getByRole("link", { name }).count()).toBeGreaterThan(0);
      expect(browser.takeErrors()).toEqual([]);
    }, 180_000);

    it("every other page loads clean", async () => {
      for (const [name, path] of [
        ["segments", "/app/segments"],
        ["activity", "/app/activity"],
        ["privacy", "/app/privacy"],
        ["plan", "/app/plan"],
        ["discounts", "/app/discounts"],
        ["discount-new", "/app/discounts/new"],
        ["insights", "/app/insights"],
      ]) {
        const check = await browser.visit(name, `${url}${path}`);
        checks.push(check);
        expectClean(check);
      }
    }, 180_000);

    // Last: it restarts the web app as if the store were big (ADR 054, 055). Not among the timed pages above.
    it("(7) a big shop's stored figures, insights' check after the page", () => checkAsBigShop(url), 180_000);
  });
});

/**
 * (7): the overview's live figures, then the web app restarted with the store counted as big (ADR 054, 055): the
 * first view stores the figures; clicked through as a merchant would (overview, Segments, a segment), each page shows
 * them with their time, axe clean; then Insights, whose model check follows the page and fills its table; and the
 * overview the same count.
 */
async function checkAsBigShop(url: string): Promise<void> {
  const page = browser.page;
  const customersFigure = async () =>
    page.getByRole("heading", { name: "Customers", exact: true }).locator("xpath=..").innerText();
  await browser.page.goto(`${url}/app`, { waitUntil: "networkidle" });
  const live = await customersFigure();
  await expect(page.getByText(/^Counts and totals as of /).count()).resolves.toBe(0);
  await stack.stopWeb();
  // As a big shop: stored figures, and the insights page sends the model's check after the page (here always).
  url = await stack.startWeb(RETAIL, { ADMIN_FIGURES_STORED_FROM: "1000", INSIGHTS_CHECK_WAIT_MS: "0" });
  // The first view at this size computes the figures and stores them; the next ones read them.
  await browser.page.goto(`${url}/app`, { waitUntil: "networkidle" });
  const { rows: stored } = await stack.db.query<{ customers: number }>(
    `SELECT f.customers FROM "AdminFigures" f JOIN "Shop" s ON s.id = f."shopId" WHERE s.domain = $1`,
    [RETAIL],
  );
  const asOf = () => page.getByText(/^Counts and totals as of \d+ \w+ 20\d\d, \d\d:\d\d UTC\./).count();
  // As a merchant goes: the overview, then Segments in the navigation, then a segment from the list.
  const overview = await browser.visit("overview-stored-figures", `${url}/app`);
  expectClean(overview);
  await expect(asOf()).resolves.toBe(1);
  for (const [name, link, path] of [
    ["segments-stored-figures", "Segments", /\/app\/segments$/],
    ["segment-stored-figures", "Champions", /\/app\/segments\/rfm\/champions$/],
  ] as const) {
    const started = performance.now();
    await page.getByRole("link", { name: link, exact: true }).first().click();
    await page.waitForURL(path);
    await page.waitForLoadState("networkidle");
    expectClean(await browser.check(name, Math.round(performance.now() - started)));
    await expect(asOf()).resolves.toBe(1);
  }
  // Then Insights in the navigation: the segments' table gets the model's check once it has followed the page (ADR 055).
  const started = performance.now();
  await page.getByRole("link", { name: "Insights", exact: true }).first().click();
  await page.waitForURL(/\/app\/insights$/);
  const metrics = page.locator("table").filter({ hasText: "Predicted purchase days" });
  await metrics.getByText("computing…").first().waitFor({ state: "detached", timeout: 60_000 });
  expectClean(await browser.check("insights-check-after-page", Math.round(performance.now() - started)));
  const predicted = await metrics
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((row) => row.querySelectorAll("td, th")[6]?.textContent ?? ""));
  // A number per segment whose members had orders before the period, "—" for a segment of customers without any.
  expect(predicted.filter((cell) => /^\d+\.\d$/.test(cell)).length, predicted.join(" | ")).toBeGreaterThan(5);
  expect(
    predicted.every((cell) => /^(\d+\.\d|—)$/.test(cell)),
    predicted.join(" | "),
  ).toBe(true);
  await browser.page.goto(`${url}/app`, { waitUntil: "networkidle" });
  expect(await customersFigure()).toBe(live);
  expect(stored).toHaveLength(1);
  expect(stored[0].customers).toBeGreaterThan(1000);
}
