// Every segment the engine can produce (built-ins plus the merchant's
// occasion windows and custom segments), assembled from the family modules,
// so the UI and the tag write-back can enumerate them. With the shop's
// cut-offs the definitions carry the fitted thresholds and the predictive
// segments a note on what the models say.
import type { ShopCutoffs } from "./cutoffs";
import { FAMILY_MODULES } from "./families";
import { type CatalogEntry, moneyFormatter } from "./families/family";
import { DEFAULT_SETTINGS, type Settings } from "./settings";

export type { CatalogEntry, DataNeed, ModelNote } from "./families/family";

export function segmentCatalog(
  settings: Settings = DEFAULT_SETTINGS,
  cutoffs: ShopCutoffs | null = null,
): CatalogEntry[] {
  const ctx = { settings, cutoffs, money: moneyFormatter(settings.currencyDecimals) };
  return FAMILY_MODULES.flatMap((family) => family.catalog(ctx));
}
