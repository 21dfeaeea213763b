import { redirect } from "@remix-run/node";
import { previewShop } from "../shopify/admin-session.server";

/**
 * The old local preview address: the preview now serves the app's own /app/*
 * pages (app/routes/app.tsx); only while LOCAL_PREVIEW_SHOP is set outside
 * production, otherwise a 404.
 */
export const loader = () => {
  if (!previewShop()) throw new Response("Not found", { status: 404 });
  return redirect("/app");
};
