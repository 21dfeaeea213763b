import type { PrismaClient } from "@prisma/client";

export const DEFAULT_TAG_PREFIX = "seg:";

/** The shop's tag prefix for segment tags (settings.writeback.tagPrefix, default "seg:"). */
export async function shopTagPrefix(db: PrismaClient, shopId: string): Promise<string> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { settings: true } });
  const settings = (shop?.settings ?? {}) as { writeback?: { tagPrefix?: string } };
  return settings.writeback?.tagPrefix ?? DEFAULT_TAG_PREFIX;
}
