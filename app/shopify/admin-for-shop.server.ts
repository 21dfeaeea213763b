import { env } from "../config/env.server";
import { unauthenticated } from "../shopify.server";
import { AdminApi } from "./admin-api.server";

class ShopNotInstalledError extends Error {
  override name = "ShopNotInstalledError";
}

/**
 * The shop's offline access token as of now: shopify-app-remix's
 * `unauthenticated.admin` loads the offline session and, when its expiring
 * token is within five minutes of expiry, refreshes it with the refresh
 * token grant and stores the new session.
 */
async function currentOfflineToken(shop: string): Promise<string> {
  let accessToken: string | undefined;
  try {
    const { session } = await unauthenticated.admin(shop);
    accessToken = session.accessToken;
  } catch (error) {
    if (error instanceof Response) {
      throw new ShopNotInstalledError(`No usable offline session for ${shop} (HTTP ${error.status})`);
    }
    throw new ShopNotInstalledError(`No offline session for ${shop}: ${(error as Error).message}`);
  }
  if (!accessToken) throw new ShopNotInstalledError(`No access token for ${shop}`);
  return accessToken;
}

/**
 * The Admin API client for a background job of `shop`. It asks for the
 * offline token before every call rather than once, so a job that runs for
 * longer than an expiring token lives (a backfill polling a bulk export, a
 * large write-back) goes on with the refreshed one.
 */
export async function adminApiForShop(shop: string, options: { checkNow?: boolean } = {}): Promise<AdminApi> {
  // Fail at once when the shop has no session, unless the caller may never call
  // the API (the local preview's pages that read only the app's own data).
  if (options.checkNow !== false) await currentOfflineToken(shop);
  return new AdminApi({ shop, accessToken: () => currentOfflineToken(shop), origin: env().SHOPIFY_ADMIN_API_ORIGIN });
}
