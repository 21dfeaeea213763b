// The Shop table (install state, time zone, currency, merchant settings, sync
// cursors) and Shopify's Session table (offline tokens), which belongs to the
// shop. Settings are validated by app/settings before they are stored.
import type { PrismaClient, Shop } from "@prisma/client";
import type { DataStore, Tx } from "./data-store";

type Db = PrismaClient | Tx;

/** The shop row for a domain, or null. */
export function findShop(db: Db, domain: string): Promise<Shop | null> {
  return db.shop.findUnique({ where: { domain } });
}

export function findShopById(db: Db, id: string): Promise<Shop | null> {
  return db.shop.findUnique({ where: { id } });
}

/** The installed shop for a domain, or null (unknown and uninstalled shops are skipped by jobs). */
export async function findInstalledShop(db: Db, domain: string): Promise<Shop | null> {
  const shop = await findShop(db, domain);
  return shop?.status === "installed" ? shop : null;
}

/** Marks a shop installed, creating it on first install. */
export function markInstalled(
  db: Db,
  input: { domain: string; scopes: string | null; installedAt: Date; timezone?: string; currency?: string },
): Promise<Shop> {
  const facts = {
    ...(input.timezone ? { timezone: input.timezone } : {}),
    ...(input.currency ? { currency: input.currency } : {}),
  };
  return db.shop.upsert({
    where: { domain: input.domain },
    create: {
      domain: input.domain,
      status: "installed",
      installedAt: input.installedAt,
      scopes: input.scopes,
      ...facts,
    },
    update: {
      status: "installed",
      installedAt: input.installedAt,
      uninstalledAt: null,
      scopes: input.scopes,
      ...facts,
    },
  });
}

export function markUninstalled(db: Db, shopId: string, at: Date = new Date()): Promise<Shop> {
  return db.shop.update({ where: { id: shopId }, data: { status: "uninstalled", uninstalledAt: at } });
}

/** The shop's time zone and currency, as Shopify reports them (install, shop/update). */
export async function updateShopFacts(
  db: Db,
  domain: string,
  facts: { timezone?: string; currency?: string },
): Promise<number> {
  const data = {
    ...(facts.timezone ? { timezone: facts.timezone } : {}),
    ...(facts.currency ? { currency: facts.currency } : {}),
  };
  if (Object.keys(data).length === 0) return 0;
  const { count } = await db.shop.updateMany({ where: { domain }, data });
  return count;
}

export async function updateShopScopes(db: Db, domain: string, scopes: string): Promise<void> {
  await db.shop.updateMany({ where: { domain }, data: { scopes } });
  await db.session.updateMany({ where: { shop: domain }, data: { scope: scopes } });
}

/** Sync cursors (backfill state, last reconciled time, ...), a JSON object per shop. */
export type SyncState = Record<string, unknown> & {
  backfillStartedAt?: string;
  backfillCompletedAt?: string;
  lastReconciledAt?: string;
  lastReconcile?: Record<string, unknown> & { repaired?: number };
};

export async function readSyncState(db: Db, shopId: string): Promise<SyncState> {
  const row = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { syncState: true } });
  return (row.syncState ?? {}) as SyncState;
}

/** Merges `patch` into the shop's sync state (read-modify-write; one writer per shop at a time: its sync job). */
export async function patchSyncState(db: Db, shopId: string, patch: SyncState): Promise<SyncState> {
  const next = { ...(await readSyncState(db, shopId)), ...patch };
  await db.shop.update({ where: { id: shopId }, data: { syncState: next as never } });
  return next;
}

/** The stored settings JSON (validated when it was stored, and again by app/settings when read). */
export async function readSettings(db: Db, shopId: string): Promise<unknown> {
  const row = await db.shop.findUnique({ where: { id: shopId }, select: { settings: true } });
  return row?.settings ?? {};
}

export async function writeSettings(db: Db, shopId: string, settings: object): Promise<void> {
  await db.shop.update({ where: { id: shopId }, data: { settings: settings as never } });
}

/** Shop domains in order after `after` (installed or not), `limit` at a time: the retention sweep's pages. */
export async function shopDomainsAfter(db: Db, after: string | null, limit: number): Promise<string[]> {
  const rows = await db.shop.findMany({
    where: after === null ? {} : { domain: { gt: after } },
    select: { domain: true },
    orderBy: { domain: "asc" },
    take: limit,
  });
  return rows.map((r) => r.domain);
}

/** Deletes the shop's offline and online sessions (uninstall). */
export async function deleteSessions(db: Db, domain: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { shop: domain } });
  return count;
}

export const shopsStore: DataStore = {
  name: "shops",
  tables: ["Shop", "Session"],
  async eraseCustomer() {
    // Shop rows and sessions hold no customer data.
  },
  async eraseShop(tx, shop) {
    await tx.session.deleteMany({ where: { shop: shop.domain } });
    // JobRun rows go with the shop (ON DELETE CASCADE), but the runs store deletes them first.
    if (shop.id) await tx.shop.deleteMany({ where: { id: shop.id } });
  },
};
