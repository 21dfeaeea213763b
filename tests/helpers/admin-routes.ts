// Calling the admin pages' loaders and actions as Shopify admin does: an
// offline session stored for the shop, and each request carrying a session
// token (the App Bridge JWT) for it, on an embedded URL.
import { API_KEY, API_SECRET_KEY, getJwt, setUpValidSession } from "@shopify/shopify-api/test-helpers";

export interface AdminRequests {
  /** A request to `path` from the shop's admin, a POST when it has a body. */
  request(path: string, init?: { method?: string; body?: FormData }): Request;
}

/**
 * Stores a valid offline session for `domain` (with the simulator's access
 * token) and returns a maker of signed-in requests. Import it after the
 * environment points the app at the simulator: it loads app/shopify.server.
 */
export async function signedInAdmin(domain: string, accessToken: string): Promise<AdminRequests> {
  const { sessionStorage } = await import("../../app/shopify.server");
  await sessionStorage.storeSession(
    setUpValidSession({ shop: domain, accessToken, expires: new Date(Date.now() + 86_400_000) }),
  );
  const { token } = await getJwt(domain.replace(/\.myshopify\.com$/, ""), API_KEY, API_SECRET_KEY);
  return {
    request(path, init = {}) {
      const url = new URL(`https://my-test-app.myshopify.io${path}`);
      url.searchParams.set("embedded", "1");
      url.searchParams.set("shop", domain);
      return new Request(url, {
        method: init.method ?? (init.body ? "POST" : "GET"),
        body: init.body,
        headers: { authorization: `Bearer ${token}` },
      });
    },
  };
}

/** A loader's or action's answer, thrown Responses (404s, redirects) included. */
export async function routeAnswer(work: Promise<unknown> | (() => Promise<unknown>)): Promise<Response> {
  try {
    return (await (typeof work === "function" ? work() : work)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
