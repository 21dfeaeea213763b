import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { loadSegmentDetail, membersQuery } from "../admin/segments.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { SegmentDetailPage } from "../components/admin/segments";

/** One segment of the session's shop; a key outside its catalog or a malformed cursor is a 404. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, admin } = await requireAdmin(request);
  return loadSegmentDetail(prisma, admin, shop, params, membersQuery(new URL(request.url)));
};

export default function Segment() {
  return <SegmentDetailPage data={useLoaderData<typeof loader>()} />;
}
