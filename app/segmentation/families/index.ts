// The segment families, in report order (FAMILIES in types.ts). The assigner
// runs them in this order, the catalog lists their segments in this order, and
// the merchant settings schema is these families' slices plus the shop-wide
// fields (settings.ts). Adding a segment touches one family module and its
// test; adding a family adds its module here and its name to FAMILIES.
import type { z } from "zod";
import { benefitsFamily } from "./benefits";
import { customFamily } from "./custom";
import type { FamilyModule, IssueSink } from "./family";
import { loyaltyFamily } from "./loyalty";
import { marketingFamily } from "./marketing";
import { occasionFamily } from "./occasion";
import { predictiveFamily } from "./predictive";
import { rfmFamily } from "./rfm";
import { usageFamily } from "./usage";

export const FAMILY_MODULES = [
  rfmFamily,
  usageFamily,
  loyaltyFamily,
  predictiveFamily,
  occasionFamily,
  benefitsFamily,
  marketingFamily,
  customFamily,
] as const;

type Module = (typeof FAMILY_MODULES)[number];
// A family without settings keeps the default K = string and contributes nothing.
type SliceOf<M> = M extends FamilyModule<infer K, infer S> ? (string extends K ? never : { [P in K]: S }) : never;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** `{ usage: <zod schema>, loyalty: …, customSegments: … }`: every family's settings slice, typed. */
export type FamilySettingsShape = UnionToIntersection<SliceOf<Module>>;

export const FAMILY_SETTINGS_SHAPE = Object.fromEntries(
  FAMILY_MODULES.flatMap((m: FamilyModule) => (m.settings ? [[m.settings.key, m.settings.schema]] : [])),
) as FamilySettingsShape;

/** Runs every family's cross-field checks on parsed settings; paths are prefixed with the slice's key. */
export function checkFamilySettings(settings: Record<string, unknown>, issue: IssueSink): void {
  for (const m of FAMILY_MODULES as readonly FamilyModule[]) {
    const slice = m.settings;
    if (!slice?.check) continue;
    slice.check(settings[slice.key] as z.output<typeof slice.schema>, (path, message) =>
      issue([slice.key, ...path], message),
    );
  }
}

export type { FamilyModule } from "./family";
