// Occasion windows per year (dates computed per year where they move:
// Black Friday-Cyber Monday, Mother's and Father's Day), and a day-indexed
// bitmap so a customer's purchase days are matched with one lookup each.
import { dayFromCivil, weekdayOfDay } from "../../features/clock";
import type { Settings } from "../settings";

export interface OccasionDefinition {
  handle: string;
  title: string;
  description: string;
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

function yearly(start: string, end: string): (year: number) => [number, number][] {
  const [sm, sd] = start.split("-").map(Number);
  const [em, ed] = end.split("-").map(Number);
  const clampDay = (y: number, m: number, d: number) => {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return m === 2 && d === 29 && !leap ? 28 : d;
  };
  return (y) => {
    const from = dayFromCivil(y, sm, clampDay(y, sm, sd));
    const wraps = em < sm || (em === sm && ed < sd);
    const to = dayFromCivil(wraps ? y + 1 : y, em, clampDay(wraps ? y + 1 : y, em, ed));
    return [[from, to]];
  };
}

export function occasionDefinitions(settings: Settings): OccasionDefinition[] {
  const o = settings.occasion;
  const defs: OccasionDefinition[] = [];
  if (o.blackFridayCyberMonday) {
    defs.push({
      handle: "black-friday-cyber-monday",
      title: "Black Friday-Cyber Monday shoppers",
      description: "Ordered between Black Friday (day after the 4th Thursday of November) and Cyber Monday",
      rangesForYear: (y) => {
        const friday = nthWeekday(y, 11, 4, 4) + 1;
        return [[friday, friday + 3]];
      },
    });
  }
  defs.push({
    handle: "holiday-season",
    title: "Holiday season shoppers",
    description: `Ordered between ${o.holidaySeason.start} and ${o.holidaySeason.end}`,
    rangesForYear: yearly(o.holidaySeason.start, o.holidaySeason.end),
  });
  defs.push({
    handle: "valentines-day",
    title: "Valentine's Day shoppers",
    description: `Ordered between ${o.valentinesDay.start} and ${o.valentinesDay.end}`,
    rangesForYear: yearly(o.valentinesDay.start, o.valentinesDay.end),
  });
  defs.push({
    handle: "mothers-day",
    title: "Mother's Day shoppers",
    description: `Ordered in the ${o.mothersDay.daysBefore} days up to Mother's Day (${o.mothersDay.country === "us" ? "2nd Sunday of May" : "Mothering Sunday, 3 weeks before Easter"})`,
    rangesForYear: (y) => {
      const day = o.mothersDay.country === "us" ? nthWeekday(y, 5, 0, 2) : easterSunday(y) - 21;
      return [[day - o.mothersDay.daysBefore, day]];
    },
  });
  defs.push({
    handle: "fathers-day",
    title: "Father's Day shoppers",
    description: `Ordered in the ${o.fathersDay.daysBefore} days up to Father's Day (3rd Sunday of June)`,
    rangesForYear: (y) => {
      const day = nthWeekday(y, 6, 0, 3);
      return [[day - o.fathersDay.daysBefore, day]];
    },
  });
  defs.push({
    handle: "back-to-school",
    title: "Back-to-school shoppers",
    description: `Ordered between ${o.backToSchool.start} and ${o.backToSchool.end}`,
    rangesForYear: yearly(o.backToSchool.start, o.backToSchool.end),
  });
  for (const w of o.windows) {
    if ("start" in w) {
      defs.push({
        handle: w.handle,
        title: w.title,
        description: `Ordered between ${w.start} and ${w.end} (every year)`,
        rangesForYear: yearly(w.start, w.end),
      });
    } else {
      const from = Math.floor(Date.parse(`${w.from}T00:00:00Z`) / 86_400_000);
      const to = Math.floor(Date.parse(`${w.to}T00:00:00Z`) / 86_400_000);
      defs.push({
        handle: w.handle,
        title: w.title,
        description: `Ordered between ${w.from} and ${w.to}`,
        // A one-off window: the same range whatever year is asked (setting its bits twice is harmless).
        rangesForYear: () => [[from, to]],
      });
    }
  }
  return defs;
}

/** Bitmap over [fromDay, toDay]: bit j set when the day is in occasion j (at most 31 occasions). */
export class OccasionCalendar {
  readonly defs: OccasionDefinition[];
  private readonly bits: Uint32Array;
  constructor(
    settings: Settings,
    readonly fromDay: number,
    readonly toDay: number,
  ) {
    this.defs = occasionDefinitions(settings).slice(0, 31);
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
