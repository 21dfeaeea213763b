import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { snapshotsExport } from "../insights/routes.server";
import { requireAdmin } from "../shopify/admin-session.server";

/** The session's shop's snapshots of a period as CSV, streamed; a refused period is a 400 with its message. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return snapshotsExport(prisma, shop, request);
};
