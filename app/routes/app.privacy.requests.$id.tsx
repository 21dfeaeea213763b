import type { LoaderFunctionArgs } from "@remix-run/node";
import { dataRequestDownload } from "../admin/privacy.server";
import { requireAdmin } from "../shopify/admin-session.server";

/** The data a customer asked for (customers/data_request), as JSON; another shop's or a malformed id is a 404. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return dataRequestDownload(shop, params.id);
};
