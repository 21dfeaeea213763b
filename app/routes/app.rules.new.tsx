import { json, type MetaFunction, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { RuleBuilder } from "../components/rules/rule-builder";
import { t } from "../i18n";
import { appRulesDeps, loadRuleForm, saveCustomSegment } from "../settings/custom-segments.server";
import { ruleFormFromFormData } from "../settings/rule-form";
import { requireAdmin } from "../shopify/admin-session.server";

export const meta: MetaFunction = () => [{ title: `${t("rules.newTitle")} · ${t("app.name")}` }];

/** The live preview's requests change nothing the page loaded: no reload of the form after each one. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction === "/app/rules/preview" ? false : defaultShouldRevalidate;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, preview } = await requireAdmin(request);
  return json({ page: await loadRuleForm(appRulesDeps(), shop, null), embedded: !preview });
};

/** Validated again here (the builder's checks, then the engine's settings schema); refused input saves nothing. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const values = ruleFormFromFormData(await request.formData());
  if (!values) return json({ errors: { form: t("rules.errors.badForm") } }, { status: 400 });
  const result = await saveCustomSegment(appRulesDeps(), shop, null, values);
  if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  return redirect("/app/rules?saved=1");
};

export default function NewRule() {
  const { page, embedded } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <RuleBuilder page={page} embedded={embedded} serverErrors={result?.errors} />;
}
