// Reading the CLI's transaction CSV (header customer_id,date,amount; extra
// columns ignored) into engine orders, with one clear error naming the line
// for every kind of bad input.
import { CsvError, parse } from "csv-parse/sync";
import type { EngineOrder } from "../types";

export class InputError extends Error {}

const REQUIRED = ["customer_id", "date", "amount"] as const;

interface CsvRow {
  fields: string[];
  /** Line of the file where the row starts (a quoted field may hold line breaks). */
  line: number;
}

export function parseTransactionsCsv(text: string, fileName: string): EngineOrder[] {
  const rows = readCsvRows(text, fileName);
  // A line with nothing but spaces: trailing ones are ignored, others are an error.
  const blank = (row: CsvRow) => row.fields.length === 1 && row.fields[0].trim() === "";
  while (rows.length && blank(rows[rows.length - 1])) rows.pop();
  if (rows.length === 0 || blank(rows[0])) {
    throw new InputError(`${fileName}: the file is empty (expected a header line "customer_id,date,amount")`);
  }
  const header = rows[0].fields.map((h) => h.trim().toLowerCase());
  const col: Record<string, number> = {};
  for (const name of REQUIRED) {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new InputError(
        `${fileName}:1: missing column "${name}" (the header must contain customer_id,date,amount; found ${header.join(",")})`,
      );
    }
    col[name] = i;
  }
  if (rows.length === 1) throw new InputError(`${fileName}: no transactions after the header`);
  const orders: EngineOrder[] = [];
  for (let r = 1; r < rows.length; r++) {
    const { fields, line: lineNo } = rows[r];
    if (blank(rows[r])) throw new InputError(`${fileName}:${lineNo}: empty line`);
    if (fields.length < header.length) {
      throw new InputError(`${fileName}:${lineNo}: expected ${header.length} fields, got ${fields.length}`);
    }
    const customerId = fields[col.customer_id].trim();
    if (!customerId) throw new InputError(`${fileName}:${lineNo}: empty customer_id`);
    const date = fields[col.date].trim();
    const ms = parseIsoDate(date);
    if (ms === null) throw new InputError(`${fileName}:${lineNo}: bad date "${date}" (expected YYYY-MM-DD)`);
    const amountText = fields[col.amount].trim();
    const amount = Number(amountText);
    if (amountText === "" || !Number.isFinite(amount)) {
      throw new InputError(`${fileName}:${lineNo}: amount "${amountText}" is not a number`);
    }
    if (amount < 0) throw new InputError(`${fileName}:${lineNo}: negative amount ${amountText}`);
    orders.push({
      id: `line-${lineNo}`,
      customerId,
      processedAt: ms,
      totalMinor: Math.round(amount * 100),
    });
  }
  return orders;
}

/**
 * Every row of the file with its line number (csv-parse: RFC 4180 quoting
 * with "" escapes, CRLF or LF, a leading BOM). Rows may have any number of
 * fields; the caller checks them. Malformed quoting is an InputError naming
 * the line.
 */
function readCsvRows(text: string, fileName: string): CsvRow[] {
  let records: { raw: string; record: string[] }[];
  try {
    records = parse(text, {
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: false,
    }) as unknown as { raw: string; record: string[] }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new InputError(`${fileName}${line ? `:${line}` : ""}: malformed CSV: ${error.message}`);
    }
    throw error;
  }
  // Line numbers counted from the raw text of each record (csv-parse's own
  // info.lines counts a CRLF inside quotes twice).
  let line = 1;
  return records.map(({ raw, record }) => {
    const row = { fields: record, line };
    line += raw.match(/\r\n|\r|\n/g)?.length ?? 0;
    return row;
  });
}

/** Epoch ms of a YYYY-MM-DD date at UTC midnight, or null when it is not a real date. */
export function parseIsoDate(v: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const ms = Date.parse(`${v}T00:00:00Z`);
  if (Number.isNaN(ms) || !new Date(ms).toISOString().startsWith(v)) return null;
  return ms;
}
