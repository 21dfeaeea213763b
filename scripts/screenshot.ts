/**
 * Screenshot of a page with Debian's Chromium through playwright-core (no
 * browser download): `npx tsx scripts/screenshot.ts URL OUT.png [width]`.
 * Used for the README's picture of the demo dashboard.
 */
import { chromium } from "playwright-core";
import { scriptEnv } from "../app/config/env.server";

const [url, out, width = "1280"] = process.argv.slice(2);
if (!url || !out) {
  console.error("usage: tsx scripts/screenshot.ts URL OUT.png [width]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: scriptEnv().CHROMIUM_PATH,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await page.goto(url, { waitUntil: "networkidle", timeout: 60_000 });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
