// End-to-end, in Chromium against the app on a generated simulated store:
// (4) build a custom rule, watch the preview count change, save it;
// (5) change a threshold, see the dry run, save. Each page is checked with
// axe-core (no serious or critical violation) and has no console error; the
// rule builder's screenshot goes to docs/screenshots/rule-builder.png.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations, SHOP, startLocalApp, type LocalApp } from "./local-app";

const SCREENSHOTS = path.resolve("docs/screenshots");
let app: LocalApp;

beforeAll(async () => {
  app = await startLocalApp({ customers: 300, orders: 1500 }, ["/app/rules", "/app/rules/new", "/app/settings"]);
}, 600_000);

afterAll(async () => {
  await app?.close();
}, 60_000);

/** The preview's "N of M customers match", once the debounced request has answered. */
async function previewCount(page: import("playwright-core").Page): Promise<number> {
  const text = await page.locator("#rule-preview-count").innerText({ timeout: 60_000 });
  const match = /^([\d,]+) of ([\d,]+) customers match/.exec(text);
  if (!match) throw new Error(`unexpected preview text ${text}`);
  return Number(match[1].replace(/,/g, ""));
}

describe("rule builder and settings in the browser", () => {
  it("(4) builds a custom rule, the preview count follows the edits, and saves it", async () => {
    const { page, errors } = await app.newPage();
    const started = performance.now();
    await page.goto(`${app.url}/app/rules/new`);
    try {
      await page.getByRole("heading", { name: "New custom segment" }).waitFor({ timeout: 60_000 });
    } catch (error) {
      await page.screenshot({ path: "/tmp/rule-builder-failed.png", fullPage: true });
      throw new Error(`${error}\npage text: ${(await page.locator("body").innerText()).slice(0, 500)}`);
    }
    console.log(`rule builder loaded in ${Math.round(performance.now() - started)} ms (dev server, warm)`);

    // The first condition: orders at least 1.
    const condition = page.getByTestId("rule-condition").first();
    await condition.getByLabel("Value").fill("1");
    const everyone = await previewCount(page);
    expect(everyone).toBeGreaterThan(0);

    // Stricter: at least 4 orders. The count drops once the preview answers.
    await condition.getByLabel("Value").fill("4");
    await expect.poll(async () => previewCount(page), { timeout: 60_000, interval: 250 }).toBeLessThan(everyone);
    const repeat = await previewCount(page);
    expect(repeat).toBeGreaterThan(0);

    // AND a money condition in the shop's currency: average order value at least 20.00.
    await page.getByRole("button", { name: "Add condition" }).click();
    const second = page.getByTestId("rule-condition").nth(1);
    await second.getByLabel("Feature").selectOption("avgOrderValueMinor");
    await second.getByLabel("Value").fill("abc");
    await second.getByText("Enter an amount with at most 2 decimals.").waitFor({ timeout: 30_000 });
    await second.getByLabel("Value").fill("20.00");
    await expect.poll(async () => previewCount(page), { timeout: 60_000, interval: 250 }).toBeLessThanOrEqual(repeat);
    await page.locator("#rule-preview-count").waitFor({ timeout: 30_000 });
    await page
      .getByText(/orders \d+ >= 4 and avgOrderValueMinor/)
      .first()
      .waitFor({ timeout: 30_000 });

    await page.getByLabel("Name").fill("Repeat buyers with big baskets");
    await page.getByLabel("Handle").fill("repeat-big-baskets");
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "rule-builder.png"), fullPage: true });

    await page.getByRole("button", { name: "Save" }).first().click();
    await page.waitForURL(/\/app\/rules\?saved=1$/, { timeout: 60_000 });
    await page.getByRole("link", { name: "Repeat buyers with big baskets", exact: true }).waitFor({ timeout: 30_000 });
    await page.getByText("Custom segment saved; a recompute is scheduled").waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);

    const { rows } = await app.db.query(`SELECT settings FROM "Shop" WHERE domain = $1`, [SHOP]);
    expect(rows[0].settings.segmentation.customSegments[0]).toMatchObject({
      handle: "repeat-big-baskets",
      rule: {
        all: [
          { feature: "orders", op: "gte", value: 4 },
          { feature: "avgOrderValueMinor", op: "gte", value: 2000 },
        ],
      },
    });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it("(5) changes a threshold, shows the dry run, then saves", async () => {
    const { page, errors } = await app.newPage();
    await page.goto(`${app.url}/app/settings`);
    await page.getByRole("heading", { name: "Settings", exact: true }).waitFor({ timeout: 120_000 });
    expect(await seriousViolations(page)).toEqual([]);

    const field = page.getByLabel("Loyal: at least this many orders");
    expect(await field.inputValue()).toBe("4");
    // A bad value is refused next to its field, in the browser.
    await page.getByLabel("At risk: no order for (days)").fill("400");
    await page.getByRole("button", { name: "Review changes" }).click();
    await page.getByText("atRiskAfterDays must be smaller than lapsedAfterDays").waitFor({ timeout: 30_000 });
    await page.getByLabel("At risk: no order for (days)").fill("90");

    await field.fill("6");
    await page.getByRole("button", { name: "Review changes" }).click();
    const summary = page.locator("#dry-run-summary");
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.innerText()).toMatch(/^\d[\d,]* of [\d,]+ customers would change tags\./);
    await page.getByRole("cell", { name: "seg:loyalty-loyal" }).waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Save and recompute" }).click();
    await page.getByText("Settings saved; a recompute is scheduled").waitFor({ timeout: 60_000 });
    const { rows } = await app.db.query(`SELECT settings FROM "Shop" WHERE domain = $1`, [SHOP]);
    expect(rows[0].settings.segmentation.loyalty).toEqual({ loyalMinOrders: 6 });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
