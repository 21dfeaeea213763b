import type { PrismaClient } from "@prisma/client";

/** The installed shop row for a domain, or null (unknown or uninstalled shops are skipped by jobs). */
export async function findShop(db: PrismaClient, domain: string) {
  return db.shop.findUnique({ where: { domain } });
}
