import { describe, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY, getJwt, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { sessionStorage } from "../../app/shopify.server";
import { loader as appLoader } from "../../app/routes/app";
import { loader as dashboardLoader } from "../../app/routes/app._index";
import prisma from "../../app/db.server";

const STORE = "auth-test";
const SHOP = `${STORE}.myshopify.com`;

async function responseOf(promise: Promise<unknown>): Promise<Response | unknown> {
  try {
    return await promise;
  } catch (thrown) {
    return thrown; // Remix loaders signal redirects and 401s by throwing Responses
  }
}

describe("/app behind authenticate.admin", () => {
  it("serves the dashboard for a request with a valid session token", async () => {
    await sessionStorage.storeSession(setUpValidSession({ shop: SHOP, expires: new Date(Date.now() + 86_400_000) }));
    await prisma.shop.create({ data: { domain: SHOP, status: "installed", installedAt: new Date() } });
    const { token } = await getJwt(STORE, API_KEY, API_SECRET_KEY);
    const request = new Request(`https://my-test-app.myshopify.io/app?embedded=1&shop=${SHOP}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    const layout = await appLoader({ request: request.clone(), params: {}, context: {} });
    expect(layout).toEqual({ apiKey: API_KEY, preview: false });

    const data = await dashboardLoader({ request, params: {}, context: {} });
    expect(data.shop).toBe(SHOP);
    expect(data.ready).toBe(false); // installed, nothing segmented yet: the empty state
  });

  it("rejects a request without a session token (redirect to login)", async () => {
    const request = new Request("https://my-test-app.myshopify.io/app");
    const result = await responseOf(dashboardLoader({ request, params: {}, context: {} }));
    expect(result).toBeInstanceOf(Response);
    const response = result as Response;
    expect([302, 401]).toContain(response.status);
    if (response.status === 302) expect(response.headers.get("location")).toMatch(/\/auth\/login/);
  });

  it("rejects a forged session token with 401", async () => {
    const { token } = await getJwt(STORE, API_KEY, "not-the-app-secret");
    const request = new Request(`https://my-test-app.myshopify.io/app?embedded=1&shop=${SHOP}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const result = await responseOf(dashboardLoader({ request, params: {}, context: {} }));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).status).toBe(401);
  });
});
