import { jobId, QUEUE } from "./names";
import type { QueueRegistry } from "./registry.server";

/** Jobs of the shop-lifecycle queue. Data carries the shop domain, never tokens. */
export type ShopLifecycleJob = {
  name: "shop.installed";
  data: { shop: string; scopes: string | null; installedAt: string };
};

/**
 * Records an install in the background. The job id is derived from the shop
 * and the install time, so a repeated call for the same install is a no-op;
 * and while one install of the shop is waiting or running, another request
 * (the admin loader ensuring the install, ./ingest/ensure-install.server.ts)
 * is absorbed by it.
 */
export async function enqueueShopInstalled(
  registry: QueueRegistry,
  input: { shop: string; scopes: string | null; installedAt?: Date },
): Promise<string> {
  const installedAt = (input.installedAt ?? new Date()).toISOString();
  const id = jobId(input.shop, "installed", Date.parse(installedAt));
  const data: ShopLifecycleJob["data"] = { shop: input.shop, scopes: input.scopes, installedAt };
  await registry.get(QUEUE.shopLifecycle).add("shop.installed", data, {
    jobId: id,
    deduplication: { id: jobId(input.shop, "install") },
  });
  return id;
}

/**
 * Whether an install of `shop` authorized after `at` is still waiting for the
 * worker. An app/uninstalled delivered late, after the merchant reinstalled
 * but before that install job ran, must not delete the new session. The
 * lifecycle queue only ever holds the installs in flight, so reading it is small.
 */
export async function installPendingSince(registry: QueueRegistry, shop: string, at: Date): Promise<boolean> {
  const jobs = await registry
    .get(QUEUE.shopLifecycle)
    .getJobs(["waiting", "prioritized", "delayed", "active", "waiting-children"]);
  return jobs.some(
    (job) =>
      job?.name === "shop.installed" &&
      (job.data as ShopLifecycleJob["data"]).shop === shop &&
      Date.parse((job.data as ShopLifecycleJob["data"]).installedAt) > at.getTime(),
  );
}
