import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { formValuesFromFormData } from "../act/discount-form";
import { discountDepsFor, loadDiscountForm } from "../act/discount-pages.server";
import { createSegmentDiscount } from "../act/discounts.server";
import { DiscountForm } from "../components/discounts/discount-form";
import { authenticate } from "../shopify.server";

/** A new segment discount; `?segment=<family/handle>` (the link on a segment's page) preselects that segment. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const segment = new URL(request.url).searchParams.get("segment");
  return json(await loadDiscountForm(await discountDepsFor(session), { segment }));
};

/** Validated again here; refused input comes back with a message per field and nothing saved. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const deps = await discountDepsFor(session);
  const result = await createSegmentDiscount(deps, formValuesFromFormData(await request.formData()));
  if (result.ok) return redirect("/app/discounts");
  return json({ errors: result.errors }, { status: 400 });
};

export default function NewDiscount() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <DiscountForm page={page} serverErrors={result?.errors} />;
}
