import type { PrismaClient } from "@prisma/client";

/**
 * Marks a shop installed (creating it on first install) and keeps a JobRun
 * record of the install for the UI. Idempotent: the same install twice leaves
 * one shop row; the run record is per job attempt that completed.
 */
export async function recordInstall(
  db: PrismaClient,
  input: { shop: string; scopes: string | null; installedAt: Date },
): Promise<{ shopId: string }> {
  return db.$transaction(async (tx) => {
    const shop = await tx.shop.upsert({
      where: { domain: input.shop },
      create: {
        domain: input.shop,
        status: "installed",
        installedAt: input.installedAt,
        scopes: input.scopes,
      },
      update: {
        status: "installed",
        installedAt: input.installedAt,
        uninstalledAt: null,
        scopes: input.scopes,
      },
    });
    await tx.jobRun.create({
      data: {
        shopId: shop.id,
        kind: "install",
        status: "completed",
        step: "recorded",
        startedAt: input.installedAt,
        finishedAt: new Date(),
      },
    });
    return { shopId: shop.id };
  });
}
