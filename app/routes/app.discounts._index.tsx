import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { discountDepsFor, loadDiscountsPage, runListAction } from "../act/discount-pages.server";
import { DiscountsList } from "../components/discounts/discounts-list";
import { requireAdmin } from "../shopify/admin-session.server";

/** The Discounts page: every segment discount of the session's shop, with its status, segments, reward and hold-out. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request);
  return json(await loadDiscountsPage(await discountDepsFor(admin)));
};

/** Pause, resume, delete, or dismiss the app's notice on a discount. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request);
  const result = await runListAction(await discountDepsFor(admin), await request.formData());
  return json(result, { status: result.ok ? 200 : 400 });
};

export default function Discounts() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <DiscountsList page={page} result={result} />;
}
