// Runs Shopify's theme-check on a theme app extension, programmatically (the
// checks behind `shopify theme check` and Shopify's Liquid editor tooling). In a folder
// with a shopify.extension.toml, theme-check picks its "theme-app-extension"
// configuration (the recommended checks plus the app-block ones). Works
// offline: theme-check-docs-updater tries to fetch Shopify's latest Liquid
// docs and falls back to the copy in its package.
import path from "node:path";
import { themeCheckRun, type Offense } from "@shopify/theme-check-node";

export interface ThemeCheckReport {
  /** Files theme-check looked at, relative to the extension. */
  files: string[];
  /** The configuration context: "app" for a theme app extension. */
  context: string;
  /** One line per offense: file:line check message. */
  offenses: string[];
}

export async function runThemeCheck(extensionDir: string): Promise<ThemeCheckReport> {
  const run = await themeCheckRun(extensionDir);
  const relative = (uri: string) => path.relative(extensionDir, new URL(uri).pathname);
  return {
    files: run.theme.map((source) => relative(source.uri)).sort(),
    context: String(run.config.context),
    offenses: run.offenses.map((offense: Offense) => {
      return `${relative(offense.uri)}:${offense.start.line + 1} ${offense.check} ${offense.message}`;
    }),
  };
}
