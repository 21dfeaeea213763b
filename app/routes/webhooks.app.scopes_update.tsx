import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import db from "../db.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, session, shop } = await authenticate.webhook(request);
  const current = (payload as { current?: unknown }).current;
  if (!Array.isArray(current)) {
    return new Response("Missing current scopes", { status: 400 });
  }
  const scope = current.map(String).join(",");
  if (session) {
    await db.session.update({ where: { id: session.id }, data: { scope } });
  }
  await db.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } });
  return new Response();
};
