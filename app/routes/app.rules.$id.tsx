import { json, type MetaFunction, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { RuleBuilder } from "../components/rules/rule-builder";
import { t } from "../i18n";
import {
  appRulesDeps,
  deleteCustomSegment,
  loadRuleForm,
  ruleHandleParam,
  saveCustomSegment,
} from "../settings/custom-segments.server";
import { ruleFormFromFormData } from "../settings/rule-form";
import { requireAdmin } from "../shopify/admin-session.server";

/** One custom segment of the session's shop, by handle; another shop's, an unknown or a malformed one is a 404. */
export const meta: MetaFunction = () => [{ title: `${t("rules.editTitle")} · ${t("app.name")}` }];

/** The live preview's requests change nothing the page loaded: no reload of the form after each one. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === "/app/rules/preview" ? false : defaultShouldRevalidate;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, preview } = await requireAdmin(request);
  const handle = ruleHandleParam(params.id);
  return json({ page: await loadRuleForm(appRulesDeps(), shop, handle), embedded: !preview });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const handle = ruleHandleParam(params.id);
  const form = await request.formData();
  if (form.get("intent") === "delete") {
    await deleteCustomSegment(appRulesDeps(), shop, handle);
    return redirect("/app/rules?deleted=1");
  }
  const values = ruleFormFromFormData(form);
  if (!values) return json({ errors: { form: t("rules.errors.badForm") } }, { status: 400 });
  const result = await saveCustomSegment(appRulesDeps(), shop, handle, values);
  if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  return redirect("/app/rules?saved=1");
};

export default function EditRule() {
  const { page, embedded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <RuleBuilder key={page.values.handle} page={page} embedded={embedded} serverErrors={result?.errors} />;
}
