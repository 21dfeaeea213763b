// Reading the CLI's transaction CSV (header customer_id,date,amount; extra
// columns ignored) into engine orders, with one clear error naming the line
// for every kind of bad input.
import type { EngineOrder } from "../types";

export class InputError extends Error {}

const REQUIRED = ["customer_id", "date", "amount"] as const;

export function parseTransactionsCsv(text: string, fileName: string): EngineOrder[] {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0 || lines[0].trim() === "") {
    throw new InputError(`${fileName}: the file is empty (expected a header line "customer_id,date,amount")`);
  }
  const header = splitCsvLine(lines[0].replace(/^\uFEFF/, "")).map((h) => h.trim().toLowerCase());
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
  if (lines.length === 1) throw new InputError(`${fileName}: no transactions after the header`);
  const orders: EngineOrder[] = [];
  for (let ln = 1; ln < lines.length; ln++) {
    const lineNo = ln + 1;
    const raw = lines[ln];
    if (raw.trim() === "") throw new InputError(`${fileName}:${lineNo}: empty line`);
    const fields = splitCsvLine(raw);
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

/** Epoch ms of a YYYY-MM-DD date at UTC midnight, or null when it is not a real date. */
export function parseIsoDate(v: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const ms = Date.parse(`${v}T00:00:00Z`);
  if (Number.isNaN(ms) || !new Date(ms).toISOString().startsWith(v)) return null;
  return ms;
}

/** Splits one CSV line, honouring double-quoted fields with "" escapes. */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
