import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { loadPrivacy } from "../admin/privacy.server";
import { requireAdmin } from "../shopify/admin-session.server";
import { PrivacyPage } from "../components/admin/privacy";

/** What the app stores and never stores; the compliance requests received; data request downloads. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return loadPrivacy(prisma, shop);
};

export default function Privacy() {
  return <PrivacyPage data={useLoaderData<typeof loader>()} />;
}
