import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { searchCustomers } from "../admin/customers.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { CustomerSearchPage } from "../components/admin/customers";

/** Customer lookup: a Shopify id the app stores goes to its page; other text is searched in Shopify. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, admin } = await requireAdmin(request);
  const result = await searchCustomers(prisma, admin, shop, new URL(request.url).searchParams.get("q") ?? "");
  if (result.redirectTo) throw redirect(result.redirectTo);
  return result;
};

export default function Customers() {
  return <CustomerSearchPage key={useLoaderData<typeof loader>().query} data={useLoaderData<typeof loader>()} />;
}
