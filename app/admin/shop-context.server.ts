// What every admin read model starts from: the session's shop, its settings
// and its fitted cut-offs, and the segment catalog described with them (the
// definitions carry the fitted thresholds, predictive segments a note on what
// the models say). Parameters from URLs are checked here: anything that does
// not name one of this shop's rows is a 404, never a 500.
import type { PrismaClient, Shop } from "@prisma/client";
import { segmentCatalog, type CatalogEntry, type ShopCutoffs } from "../segmentation";
import { shopConfigFrom, type ShopConfig } from "../settings/shop-config";
import { loadShopCutoffs } from "../stores/memberships.server";
import type { PgClient } from "../stores/pg/pool.server";
import { findShop } from "../stores/shops.server";

export interface AdminShop {
  shop: Shop;
  config: ShopConfig;
  model: { cutoffs: ShopCutoffs; asOf: Date } | null;
  catalog: CatalogEntry[];
}

export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

/** The shop's settings, cut-offs and catalog; null when the shop is not stored (not installed yet). */
export async function loadAdminShop(db: PrismaClient, client: PgClient, domain: string): Promise<AdminShop | null> {
  const shop = await findShop(db, domain);
  if (!shop) return null;
  const config = shopConfigFrom(shop);
  const model = await loadShopCutoffs(client, shop.id);
  const usable = model && model.cutoffs.timeZone === config.segmentation.timeZone ? model : null;
  return { shop, config, model: usable, catalog: segmentCatalog(config.segmentation, usable?.cutoffs ?? null) };
}

/** The shop, or a 404 (pages about one row of a shop that is not stored). */
export async function requireAdminShop(db: PrismaClient, client: PgClient, domain: string): Promise<AdminShop> {
  return (await loadAdminShop(db, client, domain)) ?? notFound();
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A Shopify customer id from a URL: digits only, within BIGINT; anything else is a 404. */
export function customerIdParam(raw: string | undefined): string {
  if (!raw || !/^[1-9][0-9]{0,18}$/.test(raw) || BigInt(raw) > MAX_BIGINT) notFound();
  return raw;
}

/** A segment of the shop's catalog from /app/segments/:family/:handle; anything else is a 404. */
export function segmentParam(admin: AdminShop, family: string | undefined, handle: string | undefined): CatalogEntry {
  const key = `${family}/${handle}`;
  return admin.catalog.find((entry) => entry.key === key) ?? notFound();
}

/** A link to the customer in Shopify admin. */
export function adminCustomerUrl(shopDomain: string, customerId: string): string {
  return `https://admin.shopify.com/store/${shopDomain.replace(/\.myshopify\.com$/, "")}/customers/${customerId}`;
}

/** Minor units -> a number of major units in the shop's currency. */
export function majorUnits(minor: number, decimals: number): number {
  return minor / 10 ** decimals;
}
