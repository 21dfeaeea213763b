import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Sends the Admin API calls that @shopify/shopify-api makes to
 * `https://<shop>/admin/...` to the local store simulator instead, keeping the
 * shop domain in the `X-Shopify-Shop-Domain` header. Only for development,
 * tests and the demo: the env schema refuses SHOPIFY_ADMIN_API_ORIGIN in
 * production (docs/decisions/006-store-simulator.md).
 */
export function routeAdminApiToSimulator(origin: string): void {
  const realFetch: typeof fetch = abstractFetch as typeof fetch;
  const target = new URL(origin);
  setAbstractFetchFunc((async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (url.pathname.startsWith("/admin/")) {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set("X-Shopify-Shop-Domain", url.hostname);
      const rewritten = new URL(url.pathname + url.search, target);
      return realFetch(rewritten, { ...init, headers });
    }
    return realFetch(input, init);
  }) as typeof fetch);
}
