import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The house rules are enforced by the project's own ESLint config
 * (eslint.config.js): each is shown rejecting a breach, and accepting the
 * same code where the rule allows it, so a rule that silently stopped
 * applying (a moved glob, a renamed folder) fails here.
 */
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, "../..") });

/** The rules a snippet breaks when it stands at `filePath` (nothing is written there). */
async function brokenRules(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

describe("house rules (ESLint)", () => {
  it("keeps the segmentation engine pure: no import of the database module", async () => {
    const code = `import prisma from "../db.server";\nexport const db = prisma;\n`;
    expect(await brokenRules(code, "app/segmentation/house-rule-probe.ts")).toEqual(["no-restricted-imports"]);
    // The same import at the edge (a store) is what stores are for.
    expect(await brokenRules(code, "app/stores/house-rule-probe.server.ts")).toEqual([]);
  });

  it("reads the environment only in app/config", async () => {
    const code = `export const url = process.env.DATABASE_URL;\n`;
    expect(await brokenRules(code, "app/stores/house-rule-probe.server.ts")).toEqual(["no-restricted-properties"]);
    expect(await brokenRules(code, "scripts/house-rule-probe.ts")).toEqual(["no-restricted-properties"]);
    expect(await brokenRules(code, "app/config/house-rule-probe.server.ts")).toEqual([]);
  });

  it("names files in kebab-case", async () => {
    const code = `export const answer = 42;\n`;
    expect(await brokenRules(code, "app/utils/houseRuleProbe.ts")).toEqual(["house/kebab-case-file-names"]);
    expect(await brokenRules(code, "app/utils/house-rule-probe.ts")).toEqual([]);
  });

  it("limits files to 700 lines and functions to 150, blank lines and comments not counted", async () => {
    const statements = (n: number) => Array.from({ length: n }, (_, i) => `  total += ${i};`).join("\n");
    // 4 lines of frame + n statements (+ uncounted padding inside the body).
    const fn = (n: number, padding = "") =>
      `export function sum(): number {\n  let total = 0;\n${padding}${statements(n)}\n  return total;\n}\n`;
    const probe = "app/utils/house-rule-probe.ts";
    expect(await brokenRules(fn(146), probe)).toEqual([]);
    expect(await brokenRules(fn(147), probe)).toEqual(["max-lines-per-function"]);
    expect(await brokenRules(fn(146, "\n\n  // a comment\n  /* and\n     another */\n"), probe)).toEqual([]);
    const constants = (n: number) => Array.from({ length: n }, (_, i) => `export const c${i} = ${i};`).join("\n");
    expect(await brokenRules(`// a header\n\n${constants(700)}\n`, probe)).toEqual([]);
    expect(await brokenRules(`${constants(701)}\n`, probe)).toEqual(["max-lines"]);
  });
});
