/**
 * `npm run demo:insights`: a generated store with 56 days of history and a
 * running segment discount (scripts/insights-demo-data.ts), the web app in
 * local preview on it, and screenshots of the insights page into
 * docs/screenshots/insights-*.png (Debian's Chromium through playwright-core).
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { scriptEnv } from "../app/config/env.server";
import { prepareLocalEnvironment, ROOT, startStack } from "./lib/stack";

const SHOP = "insights-demo.myshopify.com";

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), args, { cwd: ROOT, env, stdio: "inherit" });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`))));
  });
}

const local = await prepareLocalEnvironment({
  database: "segments_insights_demo",
  extraEnv: { LOCAL_PREVIEW_SHOP: SHOP, LOG_LEVEL: "warn" },
});
console.error("generating 56 days of history (engine, snapshots, discount groups)");
await run(["scripts/insights-demo-data.ts", SHOP], local.env);
const stack = await startStack(local);
const browser = await chromium.launch({
  executablePath: scriptEnv().CHROMIUM_PATH,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
  const out = path.join(ROOT, "docs", "screenshots");
  mkdirSync(out, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const shots: Array<[string, string]> = [
    ["insights-loyalty.png", "/app/insights?family=loyalty"],
    ["insights-rfm.png", "/app/insights?family=rfm"],
    ["insights-refused-period.png", "/app/insights?from=2026-11-30&to=2026-11-01&family=loyalty"],
  ];
  for (const [file, url] of shots) {
    await page.goto(`${stack.url}${url}`, { waitUntil: "networkidle", timeout: 120_000 });
    await page.screenshot({ path: path.join(out, file), fullPage: true });
    console.error(`saved docs/screenshots/${file}`);
  }
  const lift = page.locator(".Polaris-ShadowBevel", { hasText: "Win-back" }).first();
  await page.goto(`${stack.url}/app/insights?family=loyalty`, { waitUntil: "networkidle" });
  await lift.screenshot({ path: path.join(out, "insights-discount-lift.png") });
  const flow = page.locator(".Polaris-ShadowBevel", { hasText: "Movement between segments" }).first();
  await flow.screenshot({ path: path.join(out, "insights-movement.png") });
  const trend = page.locator(".Polaris-ShadowBevel", { hasText: "Segment sizes" }).first();
  await trend.screenshot({ path: path.join(out, "insights-trend.png") });
  console.log(`Insights: ${stack.url}/app/insights`);
} finally {
  await browser.close();
  await stack.stop();
}
