// occasion: customers with at least one purchase day in an occasion window
// (any year): the built-in holidays below and the merchant's own windows;
// seasonal buyers (most orders in one meteorological season); and customers
// whose first-order anniversary is coming up. Rule-based: no fit step.
import { z } from "zod";
import { civilFromDay, dayFromCivil, isoOfDay } from "../features/clock";
import type { Settings } from "../settings";
import { days, handleSchema, isoDate, monthDay, share } from "../settings-fields";
import { SEASONS, seasonOfMonth } from "../segments/derive";
import { addMembership, catalogEntry, type CatalogContext, countOf, type FamilyModule, pct } from "./family";
import {
  easterSunday,
  isLeapYear,
  nthWeekday,
  OccasionCalendar,
  type OccasionDefinition,
  yearly,
} from "./occasion-calendar";

const yearlyWindow = z.strictObject({ start: monthDay, end: monthDay });

const merchantWindow = z.union([
  z.strictObject({ handle: handleSchema, title: z.string().min(1).max(100), start: monthDay, end: monthDay }),
  z.strictObject({ handle: handleSchema, title: z.string().min(1).max(100), from: isoDate, to: isoDate }),
]);
export type MerchantWindow = z.infer<typeof merchantWindow>;

const occasionSettings = z
  .strictObject({
    blackFridayCyberMonday: z.boolean().default(true),
    holidaySeason: yearlyWindow.default({ start: "12-01", end: "12-24" }),
    valentinesDay: yearlyWindow.default({ start: "02-01", end: "02-14" }),
    mothersDay: z
      .strictObject({
        country: z.enum(["us", "uk"]).default("us"),
        daysBefore: z.number().int().min(0).max(60).default(14),
      })
      .prefault({}),
    fathersDay: z.strictObject({ daysBefore: z.number().int().min(0).max(60).default(14) }).prefault({}),
    backToSchool: yearlyWindow.default({ start: "07-15", end: "09-15" }),
    seasonalMinOrders: z.number().int().min(2).default(3),
    seasonalMinShare: share.default(0.6),
    anniversaryWithinDays: days.default(14),
    windows: z.array(merchantWindow).max(24).default([]),
  })
  .prefault({});

type OccasionSettings = Settings["occasion"];

/** The built-in holiday windows, in report order; `ranges` null = switched off in the settings. */
const HOLIDAYS: {
  handle: string;
  title: string;
  describe: (o: OccasionSettings) => string;
  ranges: (o: OccasionSettings) => OccasionDefinition["rangesForYear"] | null;
}[] = [
  {
    handle: "black-friday-cyber-monday",
    title: "Black Friday-Cyber Monday shoppers",
    describe: () => "Ordered between Black Friday (day after the 4th Thursday of November) and Cyber Monday",
    ranges: (o) =>
      o.blackFridayCyberMonday
        ? (y) => {
            const friday = nthWeekday(y, 11, 4, 4) + 1;
            return [[friday, friday + 3]];
          }
        : null,
  },
  {
    handle: "holiday-season",
    title: "Holiday season shoppers",
    describe: (o) => `Ordered between ${o.holidaySeason.start} and ${o.holidaySeason.end}`,
    ranges: (o) => yearly(o.holidaySeason.start, o.holidaySeason.end),
  },
  {
    handle: "valentines-day",
    title: "Valentine's Day shoppers",
    describe: (o) => `Ordered between ${o.valentinesDay.start} and ${o.valentinesDay.end}`,
    ranges: (o) => yearly(o.valentinesDay.start, o.valentinesDay.end),
  },
  {
    handle: "mothers-day",
    title: "Mother's Day shoppers",
    describe: (o) =>
      `Ordered in the ${o.mothersDay.daysBefore} days up to Mother's Day (${o.mothersDay.country === "us" ? "2nd Sunday of May" : "Mothering Sunday, 3 weeks before Easter"})`,
    ranges: (o) => (y) => {
      const day = o.mothersDay.country === "us" ? nthWeekday(y, 5, 0, 2) : easterSunday(y) - 21;
      return [[day - o.mothersDay.daysBefore, day]];
    },
  },
  {
    handle: "fathers-day",
    title: "Father's Day shoppers",
    describe: (o) => `Ordered in the ${o.fathersDay.daysBefore} days up to Father's Day (3rd Sunday of June)`,
    ranges: (o) => (y) => {
      const day = nthWeekday(y, 6, 0, 3);
      return [[day - o.fathersDay.daysBefore, day]];
    },
  },
  {
    handle: "back-to-school",
    title: "Back-to-school shoppers",
    describe: (o) => `Ordered between ${o.backToSchool.start} and ${o.backToSchool.end}`,
    ranges: (o) => yearly(o.backToSchool.start, o.backToSchool.end),
  },
];

const SEASON_HANDLE: Record<string, string> = Object.fromEntries(SEASONS.map((x) => [x, `seasonal-${x}`]));

/** Occasion handles produced by the engine itself; merchant windows may not reuse them. */
const BUILT_IN_OCCASION_HANDLES = new Set([
  ...HOLIDAYS.map((h) => h.handle),
  ...Object.values(SEASON_HANDLE),
  "first-order-anniversary",
]);

/** The enabled holiday windows and the merchant's windows, in report order. */
function occasionDefinitions(settings: Settings): OccasionDefinition[] {
  const o = settings.occasion;
  const defs: OccasionDefinition[] = [];
  for (const h of HOLIDAYS) {
    const rangesForYear = h.ranges(o);
    if (rangesForYear)
      defs.push({ handle: h.handle, title: h.title, description: h.describe(o), everyYear: true, rangesForYear });
  }
  for (const w of o.windows) {
    if ("start" in w) {
      defs.push({
        handle: w.handle,
        title: w.title,
        description: `Ordered between ${w.start} and ${w.end} (every year)`,
        everyYear: true,
        rangesForYear: yearly(w.start, w.end),
      });
    } else {
      const from = Math.floor(Date.parse(`${w.from}T00:00:00Z`) / 86_400_000);
      const to = Math.floor(Date.parse(`${w.to}T00:00:00Z`) / 86_400_000);
      defs.push({
        handle: w.handle,
        title: w.title,
        description: `Ordered between ${w.from} and ${w.to}`,
        everyYear: false,
        // A one-off window: the same range whatever year is asked (setting its bits twice is harmless).
        rangesForYear: () => [[from, to]],
      });
    }
  }
  return defs;
}

export const occasionFamily: FamilyModule<"occasion", typeof occasionSettings> = {
  family: "occasion",
  settings: {
    key: "occasion",
    schema: occasionSettings,
    check(o, issue) {
      const windowHandles = new Set<string>();
      o.windows.forEach((w, i) => {
        if (BUILT_IN_OCCASION_HANDLES.has(w.handle) || windowHandles.has(w.handle)) {
          issue(["windows", i, "handle"], `handle "${w.handle}" is already used`);
        }
        windowHandles.add(w.handle);
        if ("from" in w && w.from > w.to) issue(["windows", i], `"from" ${w.from} is after "to" ${w.to}`);
      });
    },
  },
  catalog(ctx) {
    const O = ctx.settings.occasion;
    const asOfDay = ctx.cutoffs?.asOfDay ?? null;
    const out = occasionDefinitions(ctx.settings).map((d) =>
      catalogEntry("occasion", d.handle, d.title, d.description, windowDefinition(d, asOfDay)),
    );
    for (const s of SEASONS) {
      out.push(
        catalogEntry(
          "occasion",
          SEASON_HANDLE[s],
          `Seasonal buyers (${s})`,
          `At least ${O.seasonalMinOrders} orders, ${O.seasonalMinShare * 100}%+ of them in ${s}`,
          `At least ${O.seasonalMinOrders} orders, with at least ${pct(O.seasonalMinShare)} of them in ${s} (${seasonMonths(s, ctx)}), their season with the most orders`,
        ),
      );
    }
    out.push(
      catalogEntry(
        "occasion",
        "first-order-anniversary",
        "First-order anniversary soon",
        `Anniversary of the first order in the next ${O.anniversaryWithinDays} days`,
        asOfDay === null
          ? `The anniversary of the first order falls in the ${O.anniversaryWithinDays} days after the as-of date`
          : `The anniversary of the first order falls between ${isoOfDay(asOfDay + 1)} and ${isoOfDay(asOfDay + O.anniversaryWithinDays)}`,
      ),
    );
    return out;
  },
  prepare({ settings, asOfDay }) {
    const O = settings.occasion;
    // A fixed span (not the data's) so one customer and the whole shop see the same calendar.
    const calendar = new OccasionCalendar(occasionDefinitions(settings), asOfDay - 366 * 40, asOfDay + 366);
    const defs = calendar.defs;
    const counts = new Int32Array(defs.length);
    const lastDay = new Int32Array(defs.length);
    const now = civilFromDay(asOfDay);
    return (cf, d, out) => {
      if (cf.orders === 0) return;
      counts.fill(0);
      lastDay.fill(0);
      for (const day of cf.purchaseDays) {
        let bits = calendar.at(day);
        while (bits) {
          const j = 31 - Math.clz32(bits);
          counts[j]++;
          lastDay[j] = Math.max(lastDay[j], day);
          bits &= ~(1 << j);
        }
      }
      for (let j = 0; j < defs.length; j++) {
        if (counts[j] > 0) {
          addMembership(
            out,
            "occasion",
            defs[j].handle,
            out.withReasons
              ? `${counts[j]} order day${counts[j] > 1 ? "s" : ""} in the window, last ${isoOfDay(lastDay[j])}`
              : "",
          );
        }
      }
      if (cf.orders >= O.seasonalMinOrders && d.topSeasonShare !== null && d.topSeasonShare >= O.seasonalMinShare) {
        addMembership(
          out,
          "occasion",
          SEASON_HANDLE[d.topSeason as string],
          out.withReasons
            ? `${pct(d.topSeasonShare)} of ${countOf(cf.orders, "order")} in ${d.topSeason} >= ${pct(O.seasonalMinShare)}`
            : "",
        );
      }
      const first = d.firstOrderDate as number;
      const fc = civilFromDay(first);
      for (let y = now.year; y <= now.year + 1; y++) {
        if (y <= fc.year) continue;
        const feb29 = fc.month === 2 && fc.dayOfMonth === 29 && !isLeapYear(y);
        const anniversary = dayFromCivil(y, fc.month, feb29 ? 28 : fc.dayOfMonth);
        if (anniversary > asOfDay && anniversary <= asOfDay + O.anniversaryWithinDays) {
          addMembership(
            out,
            "occasion",
            "first-order-anniversary",
            out.withReasons
              ? `first order ${isoOfDay(first)}: ${y - fc.year} year anniversary on ${isoOfDay(anniversary)}, in ${countOf(anniversary - asOfDay, "day")}`
              : "",
          );
          break;
        }
      }
    };
  },
};

/** The window's rule, with its dates in the as-of year when the cut-offs give one. */
function windowDefinition(d: OccasionDefinition, asOfDay: number | null): string {
  const rule = `At least one order day in the window: ${lowerFirst(d.description)}`;
  if (!d.everyYear) return rule;
  if (asOfDay === null) return `${rule}, in any year`;
  const year = civilFromDay(asOfDay).year;
  const ranges = d.rangesForYear(year).map(([a, b]) => `${isoOfDay(a)} to ${isoOfDay(b)}`);
  return `${rule}, in any year (${year}: ${ranges.join(", ")})`;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "December to February" for winter in the north, "June to August" in the south. */
function seasonMonths(season: (typeof SEASONS)[number], ctx: CatalogContext): string {
  const target = SEASONS.indexOf(season);
  const hemisphere = ctx.settings.hemisphere;
  // Seasons are three consecutive months; find the first month whose predecessor is in another season.
  for (let m = 0; m < 12; m++) {
    if (seasonOfMonth(m, hemisphere) === target && seasonOfMonth((m + 11) % 12, hemisphere) !== target) {
      return `${MONTHS[m]} to ${MONTHS[(m + 2) % 12]}`;
    }
  }
  return season;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
