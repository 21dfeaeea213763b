import { env } from "../config/env.server";
import { unauthenticated } from "../shopify.server";
import { AdminApi } from "./admin-api.server";

class ShopNotInstalledError extends Error {
  override name = "ShopNotInstalledError";
}

/**
 * The Admin API client for a background job of `shop`, authenticated with the
 * shop's offline session (the library refreshes an expiring offline token).
 */
export async function adminApiForShop(shop: string): Promise<AdminApi> {
  let accessToken: string | undefined;
  try {
    const { session } = await unauthenticated.admin(shop);
    accessToken = session.accessToken;
  } catch (error) {
    throw new ShopNotInstalledError(`No offline session for ${shop}: ${(error as Error).message}`);
  }
  if (!accessToken) throw new ShopNotInstalledError(`No access token for ${shop}`);
  return new AdminApi({ shop, accessToken, origin: env().SHOPIFY_ADMIN_API_ORIGIN });
}
