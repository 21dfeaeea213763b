import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { formValuesFromFormData } from "../act/discount-form";
import { discountDepsFor, loadDiscountForm } from "../act/discount-pages.server";
import { createSegmentDiscount } from "../act/discounts.server";
import { DiscountForm } from "../components/discounts/discount-form";
import { requireAdmin } from "../shopify/admin-session.server";

/** A new segment discount; `?segment=<family/handle>` (the link on a segment's page) preselects that segment. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request);
  const segment = new URL(request.url).searchParams.get("segment");
  return json(await loadDiscountForm(await discountDepsFor(admin), { segment }));
};

/** Validated again here; refused input comes back with a message per field and nothing saved. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request);
  const deps = await discountDepsFor(admin);
  const result = await createSegmentDiscount(deps, formValuesFromFormData(await request.formData()));
  if (result.ok) return admin.redirect("/app/discounts");
  return json({ errors: result.errors }, { status: 400 });
};

export default function NewDiscount() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <DiscountForm page={page} serverErrors={result?.errors} />;
}
