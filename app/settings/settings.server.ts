// Reading and storing a shop's settings: validated by ./shop-config.ts before
// they are stored, through the shops store.
import type { PrismaClient } from "@prisma/client";
import { findShop, findShopById, readSettings, writeSettings } from "../stores/shops.server";
import { retentionProblems } from "./retention";
import {
  DEFAULT_TAG_PREFIX,
  ShopSettingsError,
  shopConfigFrom,
  validateShopSettings,
  type ShopConfig,
  type ShopSettings,
  type ShopSettingsInput,
  type WritebackSettings,
} from "./shop-config";

/**
 * The configuration of an installed shop, or null when the shop is unknown
 * or uninstalled (jobs then skip it). Stored settings that no longer validate
 * throw ShopSettingsError: retrying cannot help.
 */
export async function loadInstalledShopConfig(
  db: PrismaClient,
  where: { domain: string } | { id: string },
): Promise<ShopConfig | null> {
  const shop = "domain" in where ? await findShop(db, where.domain) : await findShopById(db, where.id);
  if (!shop || shop.status !== "installed") return null;
  return shopConfigFrom(shop);
}

export async function loadShopConfig(db: PrismaClient, shopId: string): Promise<ShopConfig> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new Error(`No shop ${shopId}`);
  return shopConfigFrom(shop);
}

/**
 * Validates and stores new settings. A changed prefix is remembered in
 * previousPrefixes until a write-back has moved every tag (see
 * `forgetPreviousPrefixes`). The schedule, insights and retention settings
 * are kept as stored unless given (callers that change rules or tags leave
 * them alone); the segmentation and write-back settings are replaced. A
 * segment history shorter than the insights retention is refused. The
 * caller enqueues the recompute.
 */
export async function updateShopSettings(
  db: PrismaClient,
  shopId: string,
  input: ShopSettingsInput,
): Promise<ShopSettings> {
  const shop = await findShopById(db, shopId);
  if (!shop) throw new Error(`No shop ${shopId}`);
  const current = shopConfigFrom(shop);
  const candidate = { ...((input.writeback ?? {}) as Record<string, unknown>) };
  delete candidate.previousPrefixes;
  const stored = (shop.settings ?? {}) as ShopSettingsInput;
  const kept = {
    schedule: input.schedule !== undefined ? input.schedule : stored.schedule,
    insights: input.insights !== undefined ? input.insights : stored.insights,
    retention: input.retention !== undefined ? input.retention : stored.retention,
  };
  const next = validateShopSettings({ segmentation: input.segmentation, writeback: candidate, ...kept }, shop);
  // The history must cover the insights' periods: checked when either is changed and the history
  // is chosen (left unset, or stored before the rule, the pruning keeps what the insights need).
  const historyChosen = (kept.retention as { historyDays?: unknown } | undefined)?.historyDays !== undefined;
  if ((input.insights !== undefined || input.retention !== undefined) && historyChosen) {
    const problems = retentionProblems(next.retention, next.insights.retentionDays);
    if (problems.length) throw new ShopSettingsError(problems);
  }
  const previous = new Set(current.prefixes);
  previous.delete(next.writeback.tagPrefix);
  const writeback: WritebackSettings = { ...next.writeback, previousPrefixes: [...previous] };
  await writeSettings(db, shopId, {
    segmentation: (input.segmentation ?? {}) as object,
    writeback,
    ...Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined)),
  });
  return {
    segmentation: next.segmentation,
    writeback,
    schedule: next.schedule,
    insights: next.insights,
    retention: next.retention,
  };
}

/** After a complete write-back under the current prefix, the old prefixes hold no tags any more. */
export async function forgetPreviousPrefixes(
  db: PrismaClient,
  shopId: string,
  prefixes: readonly string[],
): Promise<void> {
  const settings = (await readSettings(db, shopId)) as { writeback?: { previousPrefixes?: string[] } };
  if (!settings.writeback?.previousPrefixes?.length) return;
  const gone = new Set(prefixes);
  const remaining = settings.writeback.previousPrefixes.filter((p) => !gone.has(p));
  await writeSettings(db, shopId, { ...settings, writeback: { ...settings.writeback, previousPrefixes: remaining } });
}

/** The shop's tag prefix for segment tags (settings.writeback.tagPrefix, default "seg:"). */
export async function shopTagPrefix(db: PrismaClient, shopId: string): Promise<string> {
  const settings = (await readSettings(db, shopId)) as { writeback?: { tagPrefix?: string } };
  return settings.writeback?.tagPrefix ?? DEFAULT_TAG_PREFIX;
}
