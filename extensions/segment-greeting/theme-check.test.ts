// Shopify's theme-check must report nothing on this extension (the same run
// as `npm run theme-check`), and must catch a real mistake in a copy of it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./liquid-harness";
import { runThemeCheck } from "./theme-check";

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the extension's theme files in a temporary folder. */
function copyExtension(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "segment-greeting-"));
  copies.push(dir);
  fs.copyFileSync(path.join(EXTENSION_DIR, "shopify.extension.toml"), path.join(dir, "shopify.extension.toml"));
  for (const folder of ["assets", "blocks", "locales", "snippets"]) {
    fs.cpSync(path.join(EXTENSION_DIR, folder), path.join(dir, folder), { recursive: true });
  }
  return dir;
}

describe("theme-check", () => {
  it("reports no offense on the extension, with the theme app extension checks", async () => {
    const report = await runThemeCheck(EXTENSION_DIR);
    expect(report.context).toBe("app");
    expect(report.files).toEqual([
      "blocks/segment-greeting-banner.liquid",
      "blocks/segment-greeting.liquid",
      "locales/en.default.json",
      "locales/en.default.schema.json",
      "snippets/segment-greeting.liquid",
    ]);
    expect(report.offenses).toEqual([]);
  });

  it("reports a missing translation and a missing asset in a broken copy", async () => {
    const dir = copyExtension();
    const snippet = path.join(dir, "snippets", "segment-greeting.liquid");
    fs.writeFileSync(
      snippet,
      fs
        .readFileSync(snippet, "utf8")
        .replace("segment_greeting.region_label", "segment_greeting.no_such_label")
        .concat("\n{{ 'missing.css' | asset_url | stylesheet_tag }}\n"),
    );
    const report = await runThemeCheck(dir);
    const checks = report.offenses.map((offense) => offense.split(" ")[1]);
    expect(checks).toContain("TranslationKeyExists");
    expect(checks).toContain("MissingAsset");
  });
});
