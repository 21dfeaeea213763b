// npm run theme-check: Shopify's theme-check on every theme app extension in
// extensions/ (a folder whose shopify.extension.toml says type = "theme");
// prints each offense and exits 1 when there is any.
import fs from "node:fs";
import path from "node:path";
import { runThemeCheck } from "../extensions/segment-greeting/theme-check";

const extensionsDir = path.resolve(import.meta.dirname, "..", "extensions");
const themeExtensions = fs
  .readdirSync(extensionsDir)
  .map((name) => path.join(extensionsDir, name))
  .filter((dir) => {
    const toml = path.join(dir, "shopify.extension.toml");
    return fs.existsSync(toml) && /^\s*type\s*=\s*"theme"\s*$/m.test(fs.readFileSync(toml, "utf8"));
  });

let failed = false;
for (const dir of themeExtensions) {
  const report = await runThemeCheck(dir);
  const name = path.relative(process.cwd(), dir);
  if (report.offenses.length === 0) {
    console.log(`${name}: ${report.files.length} files, no offenses`);
  } else {
    failed = true;
    console.log(`${name}: ${report.offenses.length} offense(s)`);
    for (const offense of report.offenses) console.log(`  ${offense}`);
  }
}
if (themeExtensions.length === 0) {
  console.log("No theme app extension in extensions/.");
}
process.exitCode = failed ? 1 : 0;
