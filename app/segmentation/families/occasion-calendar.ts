// Date arithmetic of the occasion family: moving holidays (n-th weekday of a
// month, Easter), yearly MM-DD windows that may wrap the year end, and a
// day-indexed bitmap so a customer's purchase days are matched with one
// lookup each. Which occasions exist is decided in occasion.ts.
import { dayFromCivil, weekdayOfDay } from "../features/clock";

export interface OccasionDefinition {
  handle: string;
  title: string;
  description: string;
  /** false for a merchant's one-off window (fixed dates). */
  everyYear: boolean;
  /** Inclusive local day ranges for a year, [] when the occasion does not apply that year. */
  rangesForYear: (year: number) => [number, number][];
}

/** Day number of the n-th given weekday (0 = Sunday) of a month (n = 1..5). */
export function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayFromCivil(year, month, 1);
  const offset = (weekday - weekdayOfDay(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

/** Easter Sunday (Gregorian, anonymous algorithm), as a day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromCivil(year, month, day);
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** A yearly window "MM-DD".."MM-DD" (wrapping into the next year when the end is before the start). */
export function yearly(start: string, end: string): (year: number) => [number, number][] {
  const [sm, sd] = start.split("-").map(Number);
  const [em, ed] = end.split("-").map(Number);
  const clampDay = (y: number, m: number, d: number) => (m === 2 && d === 29 && !isLeapYear(y) ? 28 : d);
  return (y) => {
    const from = dayFromCivil(y, sm, clampDay(y, sm, sd));
    const wraps = em < sm || (em === sm && ed < sd);
    const to = dayFromCivil(wraps ? y + 1 : y, em, clampDay(wraps ? y + 1 : y, em, ed));
    return [[from, to]];
  };
}

/** Bitmap over [fromDay, toDay]: bit j set when the day is in occasion j (at most 31 occasions). */
export class OccasionCalendar {
  readonly defs: OccasionDefinition[];
  private readonly bits: Uint32Array;
  constructor(
    definitions: readonly OccasionDefinition[],
    readonly fromDay: number,
    readonly toDay: number,
  ) {
    this.defs = definitions.slice(0, 31);
    this.bits = new Uint32Array(Math.max(0, toDay - fromDay + 1));
    const y0 = 1970 + Math.floor(fromDay / 365.2425) - 1;
    const y1 = 1970 + Math.floor(toDay / 365.2425) + 1;
    this.defs.forEach((def, j) => {
      for (let y = y0; y <= y1; y++) {
        for (const [a, b] of def.rangesForYear(y)) {
          for (let d = Math.max(a, fromDay); d <= Math.min(b, toDay); d++) this.bits[d - fromDay] |= 1 << j;
        }
      }
    });
  }
  at(day: number): number {
    if (day < this.fromDay || day > this.toDay) return 0;
    return this.bits[day - this.fromDay];
  }
}
