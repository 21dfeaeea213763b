import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { loadSegmentList } from "../admin/segments.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { SegmentListPage } from "../components/admin/segments";

/** Every segment of the shop's catalog with its size, AOV, orders per customer and share of revenue. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return loadSegmentList(prisma, shop);
};

export default function Segments() {
  return <SegmentListPage data={useLoaderData<typeof loader>()} />;
}
