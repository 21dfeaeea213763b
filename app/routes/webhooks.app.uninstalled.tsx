import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import db from "../db.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await authenticate.webhook(request);

  // Webhook requests can repeat, also after the app was uninstalled: the
  // session may already be gone. Data is removed later by shop/redact.
  if (session) {
    await db.session.deleteMany({ where: { shop } });
  }
  await db.shop.updateMany({
    where: { domain: shop },
    data: { status: "uninstalled", uninstalledAt: new Date() },
  });

  return new Response();
};
