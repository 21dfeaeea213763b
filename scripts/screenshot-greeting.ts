/**
 * The README's picture of the theme app extension: the app block and the app
 * embed rendered with the project's Liquid harness (liquidjs with Shopify's
 * `t` filter and `render`) for a logged-in customer in an "At risk" segment
 * and for one outside it, with the extension's stylesheet, in Debian's
 * Chromium. `npx tsx scripts/screenshot-greeting.ts OUT.png`.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { scriptEnv } from "../app/config/env.server";
import { EXTENSION_DIR, renderBlock, type ShopifyCustomer } from "../extensions/segment-greeting/liquid-harness";

const [out] = process.argv.slice(2);
if (!out) {
  console.error("usage: tsx scripts/screenshot-greeting.ts OUT.png");
  process.exit(2);
}
const settings = {
  segments: "loyalty-at-risk",
  message: "Welcome back: 15% off your order, applied at checkout",
  link_label: "Shop new arrivals",
  link: "/collections/new",
};
const atRisk: ShopifyCustomer = { id: 7208420950001, tags: ["seg:loyalty-at-risk"], metafields: {} };
const other: ShopifyCustomer = { id: 7208420950002, tags: ["seg:rfm-champions"], metafields: {} };
const css = fs.readFileSync(path.join(EXTENSION_DIR, "assets", "segment-greeting.css"), "utf8");
const panel = (title: string, html: string) =>
  `<section><h2>${title}</h2><div class="page">${html || "<p class='none'>(nothing rendered)</p>"}</div></section>`;
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${css}
  body { font-family: system-ui, sans-serif; margin: 24px; color: #1a1a1a; background: #f6f6f7; }
  section { background: #fff; border-radius: 8px; padding: 16px 20px; margin-bottom: 20px; }
  h2 { font-size: 15px; margin: 0 0 12px; color: #444; } .none { color: #777; font-style: italic; }
</style></head><body>
${panel("App embed (banner) — logged-in customer tagged seg:loyalty-at-risk", await renderBlock("segment-greeting-banner", atRisk, settings))}
${panel("App block in a section — the same customer", await renderBlock("segment-greeting", atRisk, settings))}
${panel("App block — a customer in another segment", await renderBlock("segment-greeting", other, settings))}
${panel("App block — a guest", await renderBlock("segment-greeting", null, settings))}
</body></html>`;

const browser = await chromium.launch({
  executablePath: scriptEnv().CHROMIUM_PATH,
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  await page.setContent(html, { waitUntil: "load" });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
