// Lets code written against real Shopify URLs talk to the simulator: requests
// to https://<shop>.myshopify.com/admin/... go to <simUrl>/shops/<shop>/admin/...

const SHOP_URL = /^https?:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/admin\/.*)$/;

export function rewriteShopifyUrl(simUrl: string, url: string): string {
  const match = SHOP_URL.exec(url);
  return match ? `${simUrl}/shops/${match[1]}${match[2]}` : url;
}

/** A fetch that sends Shopify Admin API calls to the simulator and everything else unchanged. */
export function simulatorFetch(simUrl: string, baseFetch: typeof fetch = fetch): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    if (typeof input === "string" || input instanceof URL)
      return baseFetch(rewriteShopifyUrl(simUrl, String(input)), init);
    const rewritten = rewriteShopifyUrl(simUrl, input.url);
    return rewritten === input.url ? baseFetch(input, init) : baseFetch(new Request(rewritten, input), init);
  }) as typeof fetch;
}
