// Calendar days in the shop's own time zone, as "YYYY-MM-DD" strings, and the
// periods the insights pages ask for. Pure: the clock is always an argument.
import { TZDate } from "@date-fns/tz";

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** The shop-local calendar day of an instant. */
export function localDay(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

function civil(day: string): [number, number, number] {
  const match = DAY_PATTERN.exec(day);
  if (!match) throw new RangeError(`Not a day: "${day}" (expected YYYY-MM-DD)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether `text` is a real calendar day written YYYY-MM-DD. */
function isDay(text: string): boolean {
  const match = DAY_PATTERN.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The instant the shop-local day starts (local midnight; DST days are 23 or 25 hours long). */
export function dayStart(day: string, timeZone: string): Date {
  const [y, m, d] = civil(day);
  return new Date(new TZDate(y, m - 1, d, 0, 0, 0, timeZone).getTime());
}

/** The instant the shop-local day ends: the next day's start. */
export function dayEnd(day: string, timeZone: string): Date {
  return dayStart(addDays(day, 1), timeZone);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = civil(day);
  return new Date(Date.UTC(y, m - 1, d) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = civil(from);
  const [y2, m2, d2] = civil(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / MS_PER_DAY);
}

/** Every day from `from` to `to`, both included. */
export function daysIn(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

/** A period of whole shop-local days, both ends included. */
export interface Period {
  from: string;
  to: string;
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; message: string };

/**
 * The period a merchant asked for: both days present and real, `from` not
 * after `to`, not longer than the retention (nothing older is kept), `to`
 * not after today. Missing ends default to the last `defaultDays` days.
 */
export function parsePeriod(
  input: { from?: string | null; to?: string | null },
  options: { today: string; retentionDays: number; defaultDays: number },
): PeriodResult {
  const to = input.to || options.today;
  const from = input.from || addDays(to, -(options.defaultDays - 1));
  for (const [name, value] of [
    ["start", from],
    ["end", to],
  ] as const) {
    if (!isDay(value)) return { ok: false, message: `The ${name} date "${value}" is not a date like 2026-01-31.` };
  }
  if (from > to) return { ok: false, message: `The start date ${from} is after the end date ${to}.` };
  if (to > options.today)
    return { ok: false, message: `The end date ${to} is in the future (today is ${options.today}).` };
  const length = daysBetween(from, to) + 1;
  if (length > options.retentionDays) {
    return {
      ok: false,
      message: `The period is ${length} days long; snapshots are kept for ${options.retentionDays} days, so choose a shorter one.`,
    };
  }
  return { ok: true, period: { from, to } };
}
