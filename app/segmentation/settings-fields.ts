// zod building blocks shared by the settings slices of the families
// (families/*.ts) and the shop-wide settings (settings.ts).
import { z } from "zod";

export const share = z.number().min(0).max(1);
export const days = z.number().int().min(1).max(3650);
export const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a month and day "MM-DD", e.g. "12-24"')
  .refine((v) => {
    const [m, d] = v.split("-").map(Number);
    return d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  }, "no such day in that month");
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date "YYYY-MM-DD"')
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    "not a valid calendar date",
  );
export const handleSchema = z
  .string()
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'handles are kebab-case: lowercase letters, digits and single dashes, e.g. "vip-gifting"',
  )
  .max(60);
