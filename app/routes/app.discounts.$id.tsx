import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { formValuesFromFormData } from "../act/discount-form";
import { discountDepsFor, discountIdParam, loadDiscountForm, orNotFound } from "../act/discount-pages.server";
import { updateSegmentDiscountFromForm } from "../act/discounts.server";
import { DiscountForm } from "../components/discounts/discount-form";
import { requireAdmin } from "../shopify/admin-session.server";

/** One segment discount of the session's shop; any other id (another shop's, deleted, malformed) is a 404. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request);
  const id = discountIdParam(params.id);
  return json(await loadDiscountForm(await discountDepsFor(admin), { id }));
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request);
  const id = discountIdParam(params.id);
  const deps = await discountDepsFor(admin);
  const values = formValuesFromFormData(await request.formData());
  const result = await orNotFound(() => updateSegmentDiscountFromForm(deps, id, values));
  if (result.ok) return admin.redirect("/app/discounts");
  return json({ errors: result.errors }, { status: 400 });
};

export default function EditDiscount() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Keyed by discount: moving to another discount starts from its values.
  return <DiscountForm key={page.discount?.id} page={page} serverErrors={result?.errors} />;
}
