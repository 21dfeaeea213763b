// REST timestamps are in the shop's time zone with its offset: 2024-06-01T10:30:29+01:00.
import type { Shop } from "../shop";

const formatters = new Map<string, Intl.DateTimeFormat>();

export function restTime(shop: Shop, seconds: number): string {
  const timeZone = shop.settings.timezone;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      timeZoneName: "longOffset",
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(seconds * 1000))) parts[part.type] = part.value;
  const offset = parts.timeZoneName === "GMT" ? "+00:00" : parts.timeZoneName.replace("GMT", "");
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
