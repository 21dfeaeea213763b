import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { loadCustomer } from "../admin/customers.server";
import { customerIdParam } from "../admin/shop-context.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { CustomerDetailPage } from "../components/admin/customers";

/** One customer of the session's shop; another shop's customer or a malformed id is a 404. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, admin } = await requireAdmin(request);
  return loadCustomer(prisma, admin, shop, customerIdParam(params.id));
};

export default function Customer() {
  return <CustomerDetailPage data={useLoaderData<typeof loader>()} />;
}
