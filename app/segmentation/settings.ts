// Merchant settings: the shop-wide fields below plus every family's slice
// (families/*.ts: schema, documented defaults, cross-field checks), validated
// with zod. `parseSettings({})` gives the defaults; unknown keys are rejected
// so a typo does not silently fall back.
import { z } from "zod";
import { assertTimeZone } from "./features/clock";
import { checkFamilySettings, FAMILY_SETTINGS_SHAPE } from "./families";

export type { MerchantWindow } from "./families/occasion";
export type { CustomSegment } from "./families/custom";

export const settingsSchema = z
  .strictObject({
    /** IANA time zone of the shop; weekday, hour, day and season are computed in it. */
    timeZone: z
      .string()
      .default("UTC")
      .superRefine((tz, ctx) => {
        try {
          assertTimeZone(tz);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: (e as Error).message });
        }
      }),
    /** Decimal places of the shop currency, only used to write amounts in reasons and definitions. */
    currencyDecimals: z.number().int().min(0).max(4).default(2),
    hemisphere: z.enum(["north", "south"]).default("north"),
    ...FAMILY_SETTINGS_SHAPE,
  })
  .superRefine((s, ctx) => {
    checkFamilySettings(s, (path, message) => ctx.addIssue({ code: "custom", path, message }));
  });

export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export class InvalidSettingsError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid settings:\n- ${issues.join("\n- ")}`);
  }
}

/** Settings with defaults filled in; throws InvalidSettingsError listing every problem. */
export function parseSettings(input: unknown = {}): Settings {
  const r = settingsSchema.safeParse(input ?? {});
  if (!r.success) throw new InvalidSettingsError(formatIssues(r.error.issues));
  return r.data;
}

export const DEFAULT_SETTINGS: Settings = parseSettings({});

function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message));
}
