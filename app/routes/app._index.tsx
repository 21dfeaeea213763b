import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { loadOverview } from "../admin/overview.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { OverviewPage } from "../components/admin/overview";

/** The overview: segment families, the RFM grid, predicted value, sizes over time, model notes. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return loadOverview(prisma, shop);
};

export default function Index() {
  return <OverviewPage data={useLoaderData<typeof loader>()} />;
}
