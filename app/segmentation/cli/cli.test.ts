import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runSegment } from "./commands";
import { InputError, parseTransactionsCsv } from "./transactions";

describe("transaction CSV errors name the line", () => {
  const cases: [string, string, RegExp][] = [
    ["empty file", "", /f\.csv: the file is empty/],
    ["missing column", "customer_id,date\n1,2024-01-01\n", /f\.csv:1: missing column "amount"/],
    ["bad date", "customer_id,date,amount\n1,2024-01-01,3\n2,2024-02-30,4\n", /f\.csv:3: bad date "2024-02-30"/],
    ["negative amount", "customer_id,date,amount\n1,2024-01-01,-3.5\n", /f\.csv:2: negative amount -3.5/],
    ["non-numeric amount", "customer_id,date,amount\n1,2024-01-01,abc\n", /f\.csv:2: amount "abc" is not a number/],
    ["short row", "customer_id,date,amount\n1,2024-01-01\n", /f\.csv:2: expected 3 fields, got 2/],
    ["header only", "customer_id,date,amount\n", /no transactions/],
  ];
  for (const [name, text, message] of cases) {
    it(name, () => {
      expect(() => parseTransactionsCsv(text, "f.csv")).toThrow(InputError);
      expect(() => parseTransactionsCsv(text, "f.csv")).toThrow(message);
    });
  }
  it("names the line of a malformed quote, and of a blank line between rows", () => {
    expect(() => parseTransactionsCsv('customer_id,date,amount\n1,"2024-01-01,3\n', "f.csv")).toThrow(
      /^f\.csv:\d+: malformed CSV: Quote Not Closed/,
    );
    expect(() => parseTransactionsCsv("customer_id,date,amount\n1,2024-01-01,3\n\n2,2024-01-02,4\n", "f.csv")).toThrow(
      "f.csv:3: empty line",
    );
  });
  it("reads CRLF, a byte order mark, trailing blank lines and line breaks inside quotes", () => {
    const orders = parseTransactionsCsv(
      '\uFEFFCustomer_ID,date,amount,note\r\n1,2024-01-01,3,"two\r\nlines"\r\n2,2024-01-02,4.5,x\r\n\r\n\r\n',
      "f.csv",
    );
    expect(orders).toEqual([
      { id: "line-2", customerId: "1", processedAt: Date.UTC(2024, 0, 1), totalMinor: 300 },
      { id: "line-4", customerId: "2", processedAt: Date.UTC(2024, 0, 2), totalMinor: 450 },
    ]);
  });
  it("reads quoted fields and extra columns", () => {
    const orders = parseTransactionsCsv('date,customer_id,amount,note\n2024-01-01,"a,b",12.34,"x"\n', "f.csv");
    expect(orders).toEqual([
      {
        id: "line-2",
        customerId: "a,b",
        processedAt: Date.UTC(2024, 0, 1),
        totalMinor: 1234,
      },
    ]);
  });
});

describe("segment command", () => {
  it("counts customers per segment and leaves out families that need more than customer, date and amount", () => {
    const rows = ["customer_id,date,amount"];
    for (let c = 0; c < 40; c++) {
      for (let k = 0; k <= c % 4; k++) rows.push(`c${c},2024-0${1 + ((c + k) % 9)}-1${k},${10 + c}`);
    }
    const out = runSegment({
      transactionsCsv: rows.join("\n"),
      fileName: "t.csv",
      asOf: "2024-12-31",
    });
    expect(out.customers).toBe(40);
    const families = new Set(Object.keys(out.segments).map((k) => k.split("/")[0]));
    for (const f of ["benefits", "marketing", "custom"]) expect(families.has(f)).toBe(false);
    const rfmTotal = Object.entries(out.segments)
      .filter(([k]) => k.startsWith("rfm/"))
      .reduce((s, [, v]) => s + v, 0);
    const usageTotal = Object.entries(out.segments)
      .filter(([k]) => k.startsWith("usage/"))
      .reduce((s, [, v]) => s + v, 0);
    expect(rfmTotal).toBe(40);
    expect(usageTotal).toBe(40);
  });
});

describe("the process", () => {
  const root = resolve(__dirname, "../../..");
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "app/segmentation/cli/main.ts"), ...args],
      {
        encoding: "utf8",
      },
    );
  it("exits with 2 and one message on a bad CSV", () => {
    const dir = mkdtempSync(join(tmpdir(), "seg-cli-"));
    const file = join(dir, "bad.csv");
    writeFileSync(file, "customer_id,date,amount\n1,1997-01-01,10\n1,1997-13-01,5\n");
    const r = run(["fit", "--transactions", file, "--calibration-end", "1997-09-30", "--unit", "week"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`error: ${file}:3: bad date "1997-13-01" (expected YYYY-MM-DD)`);
    expect(r.stdout).toBe("");
  });
  it("exits with 2 on an unknown option", () => {
    const r = run(["fit", "--nope", "x"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --nope/);
  });
});
