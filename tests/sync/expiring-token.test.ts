import { afterAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { setProcessEnv } from "../../app/config/env.server";
import { SHOP_FACTS } from "../../app/graphql/admin/shop.server";
import { AdminApi } from "../../app/shopify/admin-api.server";
import { startSimulator } from "../../simulator";
import { APP_SECRET } from "../helpers/sim-app";

const SHOP = "expiring-token.myshopify.com";
const sim = await startSimulator({ appSecret: APP_SECRET });
// The app's Admin API calls (and the library's token grant) go to the simulator.
setProcessEnv({ SHOPIFY_ADMIN_API_ORIGIN: sim.url });
const { sessionStorage } = await import("../../app/shopify.server");
const { adminApiForShop } = await import("../../app/shopify/admin-for-shop.server");

afterAll(() => sim.close());

describe("expiring offline tokens (one hour) in a long job", () => {
  it("a job's Admin API client goes on with the refreshed token after the first one expires", async () => {
    sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP" });
    sim.installApp(SHOP, {
      accessToken: "shpat_first",
      expiring: { refreshToken: "shprt_first", expiresInSeconds: 3600 },
      scopes: ["read_orders", "read_customers"],
      webhookUrl: "http://127.0.0.1:9",
    });
    // The offline session as Shopify's OAuth (expiring=1) leaves it.
    const granted = Date.now();
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        isOnline: false,
        scope: "read_orders,read_customers",
        accessToken: "shpat_first",
        expires: new Date(granted + 3600_000),
        refreshToken: "shprt_first",
        refreshTokenExpires: new Date(granted + 90 * 86_400_000),
      }),
    );

    const api = await adminApiForShop(SHOP); // one client for the whole job
    expect((await api.request(SHOP_FACTS)).shop?.currencyCode).toBe("GBP");

    // An hour later, mid-job: Shopify no longer accepts the first token, and
    // the stored session is within a minute of its expiry.
    sim.advanceClock(3600_000);
    const stale = new AdminApi({ shop: SHOP, accessToken: "shpat_first", origin: sim.url, maxServerRetries: 0 });
    await expect(stale.request(SHOP_FACTS)).rejects.toThrow(/401/);
    const stored = (await sessionStorage.loadSession(`offline_${SHOP}`))!;
    stored.expires = new Date(Date.now() + 60_000);
    await sessionStorage.storeSession(stored);

    // The same client refreshes through the refresh-token grant and goes on.
    expect((await api.request(SHOP_FACTS)).shop?.currencyCode).toBe("GBP");
    const refreshed = (await sessionStorage.loadSession(`offline_${SHOP}`))!;
    expect(refreshed.accessToken).toMatch(/^shpat_/);
    expect(refreshed.accessToken).not.toBe("shpat_first");
    expect(refreshed.refreshToken).not.toBe("shprt_first"); // rotated
    expect(refreshed.expires!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
  });

  it("the simulator's grant refuses a used refresh token and a wrong client secret, as Shopify does", async () => {
    const grant = (body: object) =>
      fetch(`${sim.url}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Shop-Domain": SHOP },
        body: JSON.stringify({ client_id: "app", grant_type: "refresh_token", ...body }),
      });
    const used = await grant({ client_secret: APP_SECRET, refresh_token: "shprt_first" });
    expect([used.status, (await used.json()).error]).toEqual([400, "invalid_grant"]);
    const current = (await sessionStorage.loadSession(`offline_${SHOP}`))!.refreshToken;
    const forged = await grant({ client_secret: "not-the-secret", refresh_token: current });
    expect([forged.status, (await forged.json()).error]).toEqual([401, "invalid_client"]);
  });
});
