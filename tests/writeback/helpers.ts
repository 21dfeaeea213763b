import prisma from "../../app/db.server";
import { runBackfill } from "../../app/ingest/backfill.server";
import type { AdminApi } from "../../app/shopify/admin-api.server";
import { membershipRows } from "../../app/stores/memberships.server";
import { loadShopConfig } from "../../app/settings/settings.server";
import type { Simulator } from "../../simulator";
import { waitFor } from "../helpers/sim-app";

/**
 * Backfills the store by calling the backfill service directly, as a recorded
 * run: not through its queue, whose job would also schedule a reconciliation.
 */
export async function backfillDirectly(store: { shopId: string; api: () => AdminApi }): Promise<void> {
  const run = await prisma.jobRun.create({ data: { shopId: store.shopId, kind: "backfill" } });
  await runBackfill({ db: prisma, api: store.api(), shopId: store.shopId, runId: run.id, pollIntervalMs: 50 });
}

/** Waits for the latest recompute JobRun of the shop started after `since` to finish; fails fast if it failed. */
export async function recomputeFinished(shopId: string, since: Date, timeoutMs = 240_000) {
  const state = async () =>
    JSON.stringify(
      await prisma.jobRun.findMany({ where: { shopId, kind: "recompute" }, orderBy: { startedAt: "asc" } }),
    );
  return waitFor(
    async () => {
      const run = await prisma.jobRun.findFirst({
        where: { shopId, kind: "recompute", startedAt: { gte: since } },
        orderBy: { startedAt: "desc" },
      });
      if (run?.status === "failed") throw new Error(`recompute failed at ${run.step}: ${run.error}`);
      return run?.status === "completed" ? run : null;
    },
    "the recompute to complete",
    timeoutMs,
  ).catch(async (error) => {
    throw new Error(`${(error as Error).message}; runs: ${await state()}`);
  });
}

/** The app's memberships of enabled segments as tags, per customer. */
export async function expectedTags(shopId: string): Promise<Map<string, string[]>> {
  const config = await loadShopConfig(prisma, shopId);
  const out = new Map<string, string[]>();
  for (const row of await membershipRows(prisma, shopId)) {
    const tag = config.enabledTags.get(row.segment);
    if (!tag) continue;
    out.set(row.customerId, [...(out.get(row.customerId) ?? []), tag]);
  }
  for (const tags of out.values()) tags.sort();
  return out;
}

/** Customers whose simulator tags under `prefix` differ from the app's memberships (empty when in sync). */
export async function tagMismatches(sim: Simulator, domain: string, shopId: string, prefix: string) {
  const expected = await expectedTags(shopId);
  const customers = await prisma.customer.findMany({ where: { shopId, deletedAt: null }, select: { id: true } });
  const mismatches: Array<{ id: string; sim: string[]; app: string[] }> = [];
  for (const { id } of customers) {
    const simTags = sim
      .customerTags(domain, String(id))
      .filter((t) => t.toLowerCase().startsWith(prefix.toLowerCase()))
      .sort();
    const app = expected.get(String(id)) ?? [];
    if (simTags.join(",") !== app.join(",")) mismatches.push({ id: String(id), sim: simTags, app });
  }
  return { mismatches, customers: customers.length, tagged: expected.size };
}

export function mutationCount(sim: Simulator, domain: string): number {
  const counts = sim.callCounts(domain);
  return Object.values(counts.mutations).reduce((a, b) => a + b, 0) + counts.bulkOperations.mutation;
}
