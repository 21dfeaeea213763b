// Local calendar of the shop: epoch ms -> local day number, weekday, hour,
// month, in the shop's IANA time zone. The UTC offset is looked up with
// @date-fns/tz once per distinct hour and cached, because calling Intl for
// each of millions of orders would dominate the run time; offsets only
// change on whole hours... or half/quarter hours, which an hourly cache
// keyed by UTC hour still resolves correctly since transitions happen at
// most once per hour.
import { tzOffset } from "@date-fns/tz";

export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

class InvalidTimeZoneError extends Error {}

export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new InvalidTimeZoneError(`unknown time zone "${timeZone}" (use an IANA name like "Europe/Berlin")`);
  }
}

/** Hours per block of the offset cache (about 341 days; 64 KB a block). */
const BLOCK_HOURS = 8192;

export class ShopClock {
  /**
   * UTC offset (minutes) per UTC hour, NaN until looked up: one flat array
   * per block of hours, found by block number. (A Map keyed by hour, tens of
   * thousands of keys, cost a hash lookup and a cache miss per order.)
   */
  private readonly blocks = new Map<number, Float64Array>();
  private lastBlock = Number.NaN;
  private lastOffsets: Float64Array = new Float64Array(0);
  private readonly utc: boolean;

  constructor(readonly timeZone: string) {
    assertTimeZone(timeZone);
    this.utc = timeZone === "UTC" || timeZone === "Etc/UTC";
  }

  /** Local wall-clock time expressed as ms since 1970-01-01T00:00 local. */
  localMs(ms: number): number {
    if (this.utc) return ms;
    const hourKey = Math.floor(ms / MS_PER_HOUR);
    const block = Math.floor(hourKey / BLOCK_HOURS);
    const offsets = block === this.lastBlock ? this.lastOffsets : this.offsetsOf(block);
    const k = hourKey - block * BLOCK_HOURS;
    let offsetMin = offsets[k];
    if (offsetMin !== offsetMin) {
      offsetMin = tzOffset(this.timeZone, new Date(ms));
      offsets[k] = offsetMin;
    }
    return ms + offsetMin * 60_000;
  }

  private offsetsOf(block: number): Float64Array {
    let offsets = this.blocks.get(block);
    if (!offsets) {
      offsets = new Float64Array(BLOCK_HOURS).fill(Number.NaN);
      this.blocks.set(block, offsets);
    }
    this.lastBlock = block;
    this.lastOffsets = offsets;
    return offsets;
  }

  /** Local day number (days since 1970-01-01 in the shop's time zone). */
  day(ms: number): number {
    return Math.floor(this.localMs(ms) / MS_PER_DAY);
  }
}

/** 0 = Sunday .. 6 = Saturday for a day number (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Civil date of a day number (proleptic Gregorian; H. Hinnant's algorithm). */
export function civilFromDay(day: number): {
  year: number;
  month: number;
  dayOfMonth: number;
} {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const dayOfMonth = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth };
}

/** Day number of a civil date (month 1..12). */
export function dayFromCivil(year: number, month: number, dayOfMonth: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + dayOfMonth - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days from 1970-01-01 whose "YYYY-MM-DD" is kept once written (to 2149): reasons write a few per customer. */
const KEPT_ISO_DAYS = 65_536;
// Made on first use, not when a process (the web server, a read thread) merely imports the clock.
let isoDays: (string | undefined)[] | null = null;

/** "YYYY-MM-DD" of a day number. */
export function isoOfDay(day: number): string {
  if (day >= 0 && day < KEPT_ISO_DAYS && Number.isInteger(day)) {
    isoDays ??= new Array<string | undefined>(KEPT_ISO_DAYS).fill(undefined);
    return (isoDays[day] ??= writeIsoDay(day));
  }
  return writeIsoDay(day);
}

function writeIsoDay(day: number): string {
  const { year, month, dayOfMonth } = civilFromDay(day);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`;
}

/** Month 1..12 of a day number, without allocating (hot path of the accumulator). */
export function monthOfDay(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return mp < 10 ? mp + 3 : mp - 9;
}
