import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { movementExport } from "../insights/routes.server";
import { requireAdmin } from "../shopify/admin-session.server";

/** The movement matrix of a family over a period as CSV; a refused period is a 400 with its message. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return movementExport(prisma, shop, request);
};
