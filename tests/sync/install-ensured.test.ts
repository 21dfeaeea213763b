import { afterAll, describe, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY, getJwt, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "../../app/db.server";
import { processWebhook } from "../../app/ingest/process-webhook.server";
import { QUEUE } from "../../app/queues/names";
import { queues } from "../../app/queues/registry.server";
import { enqueueShopInstalled } from "../../app/queues/shop-lifecycle.server";
import { loader as appLoader } from "../../app/routes/app";
import { sessionStorage } from "../../app/shopify.server";
import { cleanRedisPrefix } from "../helpers/queue-backends";

afterAll(async () => {
  await (await queues()).close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

/** The app's layout loader, as Shopify admin calls it with a session token for the store. */
async function openAdmin(store: string) {
  const shop = `${store}.myshopify.com`;
  const { token } = await getJwt(store, API_KEY, API_SECRET_KEY);
  const request = new Request(`https://my-test-app.myshopify.io/app?embedded=1&shop=${shop}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return appLoader({ request, params: {}, context: {} });
}

async function installJobs(shop: string) {
  const jobs = await (await queues()).get(QUEUE.shopLifecycle).getJobs(["waiting", "delayed", "active"]);
  return jobs.filter((job) => job.name === "shop.installed" && job.data.shop === shop);
}

describe("the admin loader ensures the install", () => {
  it("enqueues the install again for a session without a Shop row, once while it is pending", async () => {
    const shop = "lost-install.myshopify.com";
    await sessionStorage.storeSession(setUpValidSession({ shop }));
    await openAdmin("lost-install");
    await openAdmin("lost-install");
    const jobs = await installJobs(shop);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].data.scopes).toBeTruthy();
  });

  it("enqueues nothing for an installed shop", async () => {
    const shop = "fine-install.myshopify.com";
    await sessionStorage.storeSession(setUpValidSession({ shop }));
    await prisma.shop.create({ data: { domain: shop, status: "installed", installedAt: new Date() } });
    await openAdmin("fine-install");
    expect(await installJobs(shop)).toHaveLength(0);
  });

  it("enqueues the install for a shop whose row says uninstalled (reinstalled, install job lost)", async () => {
    const shop = "re-install.myshopify.com";
    await sessionStorage.storeSession(setUpValidSession({ shop }));
    await prisma.shop.create({ data: { domain: shop, status: "uninstalled", installedAt: new Date(0) } });
    await openAdmin("re-install");
    expect(await installJobs(shop)).toHaveLength(1);
  });
});

describe("app/uninstalled compares X-Shopify-Triggered-At with the install time", () => {
  const ctx = async () => ({
    db: prisma,
    queues: await queues(),
    adminApi: () => Promise.reject(new Error("an uninstall needs no Admin API call")),
  });

  it("a late delivery of an uninstall from before the reinstall changes nothing", async () => {
    const shop = "late-uninstall.myshopify.com";
    const installedAt = new Date("2026-12-01T10:00:00Z");
    await prisma.shop.create({ data: { domain: shop, status: "installed", installedAt } });
    await sessionStorage.storeSession(setUpValidSession({ shop }));

    const outcome = await processWebhook(
      await ctx(),
      { shop, eventId: "uninstall-old", topic: "app/uninstalled", data: { kind: "uninstalled" } },
      { triggeredAt: "2026-12-01T09:59:00Z" },
    );
    expect(outcome).toEqual({ status: "skipped", reason: "predates the install" });
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).status).toBe("installed");
    expect(await sessionStorage.findSessionsByShop(shop)).toHaveLength(1);
  });

  it("a late uninstall from before a reinstall whose install job has not run yet keeps the new session", async () => {
    const shop = "reinstalling.myshopify.com";
    // The previous install, as recorded; the merchant uninstalled at 11:00 and reinstalled at 11:05.
    await prisma.shop.create({
      data: { domain: shop, status: "installed", installedAt: new Date("2026-12-01T10:00:00Z") },
    });
    await sessionStorage.storeSession(setUpValidSession({ shop }));
    await enqueueShopInstalled(await queues(), {
      shop,
      scopes: "read_orders",
      installedAt: new Date("2026-12-01T11:05:00Z"),
    });

    const outcome = await processWebhook(
      await ctx(),
      { shop, eventId: "uninstall-before-reinstall", topic: "app/uninstalled", data: { kind: "uninstalled" } },
      { triggeredAt: "2026-12-01T11:00:00Z" },
    );
    expect(outcome).toEqual({ status: "skipped", reason: "predates the install" });
    expect(await sessionStorage.findSessionsByShop(shop)).toHaveLength(1);

    // Without a newer install pending, the same uninstall is a real one.
    for (const job of await installJobs(shop)) await job.remove();
    const again = await processWebhook(
      await ctx(),
      { shop, eventId: "uninstall-real", topic: "app/uninstalled", data: { kind: "uninstalled" } },
      { triggeredAt: "2026-12-01T11:00:00Z" },
    );
    expect(again).toEqual({ status: "uninstalled" });
    expect(await sessionStorage.findSessionsByShop(shop)).toHaveLength(0);
  });

  it("an uninstall after the install uninstalls and deletes the sessions", async () => {
    const shop = "real-uninstall.myshopify.com";
    await prisma.shop.create({
      data: { domain: shop, status: "installed", installedAt: new Date("2026-12-01T10:00:00Z") },
    });
    await sessionStorage.storeSession(setUpValidSession({ shop }));
    const outcome = await processWebhook(
      await ctx(),
      { shop, eventId: "uninstall-new", topic: "app/uninstalled", data: { kind: "uninstalled" } },
      { triggeredAt: "2026-12-01T10:01:00Z" },
    );
    expect(outcome).toEqual({ status: "uninstalled" });
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).status).toBe("uninstalled");
    expect(await sessionStorage.findSessionsByShop(shop)).toHaveLength(0);
  });
});
