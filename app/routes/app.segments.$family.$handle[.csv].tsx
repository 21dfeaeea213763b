import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { segmentCsv } from "../admin/segments.server";
import { requireAdmin } from "../shopify/admin-session.server";

/** The segment's members with their features and reasons, as a streamed CSV download. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { filename, body } = await segmentCsv(prisma, shop, params);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
