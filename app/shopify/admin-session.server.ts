import { redirect } from "@remix-run/node";
import { isPlanPage, requirePlan } from "../billing/guard.server";
import { env } from "../config/env.server";
import { authenticate } from "../shopify.server";
import { AdminApi } from "./admin-api.server";
import { adminApiForShop } from "./admin-for-shop.server";

/**
 * Who is asking, for every admin loader and action: the session's shop (the
 * only shop whose rows the request may read) and an Admin API client for
 * view-time lookups (customer names are fetched, never stored).
 *
 * In Shopify admin this is `authenticate.admin` (session token or OAuth). The
 * local preview (`npm run demo`) serves the same route modules outside the
 * admin frame: there, and only while LOCAL_PREVIEW_SHOP is set outside
 * production (the env schema refuses it in production), the demo shop's
 * stored offline session stands in. `preview` tells pages that App Bridge is
 * absent, so that the pieces needing the admin frame degrade.
 *
 * In admin, every page but the plan page is guarded by the shop's plan
 * (app/billing/guard.server.ts); the local preview is not (it bills no one).
 */
export interface AdminContext {
  shop: string;
  /** The granted scopes of the session (null in the local preview). */
  scope: string | null;
  admin: AdminApi;
  preview: boolean;
  /**
   * A redirect after an action: in Shopify admin the library's, which keeps
   * the embedded app's query (shop, host) on the target; in the preview a plain one.
   */
  redirect(url: string): Response;
  /** The library's admin context (billing, redirect); null in the local preview. */
  shopify: Awaited<ReturnType<typeof authenticate.admin>> | null;
}

export function previewShop(): string | undefined {
  const { LOCAL_PREVIEW_SHOP, NODE_ENV } = env();
  return LOCAL_PREVIEW_SHOP && NODE_ENV !== "production" ? LOCAL_PREVIEW_SHOP : undefined;
}

/**
 * One answer per request: Remix hands a document request's one Request to the
 * layout's loader and the page's, and both ask for it; without this the session
 * token was verified, the session loaded and the plan guard run twice.
 */
const answered = new WeakMap<Request, Promise<AdminContext>>();

export function requireAdmin(request: Request): Promise<AdminContext> {
  let context = answered.get(request);
  if (!context) {
    context = resolveAdmin(request);
    answered.set(request, context);
  }
  return context;
}

async function resolveAdmin(request: Request): Promise<AdminContext> {
  const shop = previewShop();
  // The preview's shop may have no offline session (demo:insights generates its
  // history without installing): pages that call the Admin API fail there, the others open.
  if (shop) {
    const admin = await adminApiForShop(shop, { checkNow: false });
    return { shop, scope: null, admin, preview: true, redirect, shopify: null };
  }
  const context = await authenticate.admin(request);
  const { session } = context;
  if (!session.accessToken) throw new Response("No access token for this session", { status: 401 });
  // Every page but the plan page: a shop that needs a plan is sent there first (app/billing).
  if (!isPlanPage(request)) await requirePlan(context);
  const admin = new AdminApi({
    shop: session.shop,
    accessToken: session.accessToken,
    origin: env().SHOPIFY_ADMIN_API_ORIGIN,
  });
  return {
    shop: session.shop,
    scope: session.scope ?? null,
    admin,
    preview: false,
    redirect: (url) => context.redirect(url),
    shopify: context,
  };
}
