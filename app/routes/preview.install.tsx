import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "../config/env.server";
import { sessionStorage } from "../shopify.server";
import { queues } from "../queues/registry.server";
import { enqueueShopInstalled } from "../queues/shop-lifecycle.server";

/**
 * Local preview only (LOCAL_PREVIEW_SHOP set, never in production): does what
 * the OAuth afterAuth hook does once the offline session is stored — enqueue
 * the install job. The demo calls it after storing the simulator's session.
 */
export const action = async (_args: ActionFunctionArgs) => {
  const { LOCAL_PREVIEW_SHOP: shop, NODE_ENV } = env();
  if (!shop || NODE_ENV === "production") throw new Response("Not found", { status: 404 });
  const session = await sessionStorage.loadSession(`offline_${shop}`);
  if (!session) return new Response(`No offline session for ${shop}`, { status: 409 });
  const id = await enqueueShopInstalled(await queues(), { shop, scopes: session.scope ?? null });
  return new Response(JSON.stringify({ enqueued: id }), { headers: { "Content-Type": "application/json" } });
};
