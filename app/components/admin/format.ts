// Number formatting for the admin pages (English locale, like app/locales/en.json).
const integer = new Intl.NumberFormat("en-US");

export const count = (n: number) => integer.format(n);

export const percent = (share: number) =>
  `${(share * 100).toLocaleString("en-US", { maximumFractionDigits: share > 0 && share < 0.001 ? 2 : 1 })}%`;

export const money = (major: number, currency: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits: 2 }).format(major);

/** A number as a short label ("500", "1.5K", "262K"): the bounds of a chart's ranges, where full amounts do not fit. */
export const compactNumber = (n: number) => new Intl.NumberFormat("en-US", COMPACT).format(n);

const COMPACT = { notation: "compact", maximumSignificantDigits: 3 } as const;

export const decimal = (n: number, digits = 2) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** A date (ISO string or Date) as "2 Dec 2026, 16:45 UTC". */
export const when = (value: string | Date | null | undefined) =>
  value
    ? new Date(value).toLocaleString("en-GB", {
        timeZone: "UTC",
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
      }) + " UTC"
    : "—";

/** A day (ISO date) as "2 Dec 2026". */
export const day = (value: string | Date | null | undefined) =>
  value
    ? new Date(value).toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" })
    : "—";
