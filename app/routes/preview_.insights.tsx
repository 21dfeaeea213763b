import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { previewShop } from "../shopify/admin-session.server";

/**
 * The old local preview address of the insights page: the preview now serves
 * the app's own /app/insights (in the admin frame, like every other page);
 * only while LOCAL_PREVIEW_SHOP is set outside production, otherwise a 404.
 */
export const loader = ({ request }: LoaderFunctionArgs) => {
  if (!previewShop()) throw new Response("Not found", { status: 404 });
  return redirect(`/app/insights${new URL(request.url).search}`);
};
