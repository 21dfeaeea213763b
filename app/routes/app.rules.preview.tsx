import { json, type ActionFunctionArgs } from "@remix-run/node";
import { t } from "../i18n";
import { appRulesDeps, previewRuleForm } from "../settings/custom-segments.server";
import { ruleFormFromFormData } from "../settings/rule-form";
import { requireAdmin } from "../shopify/admin-session.server";

/**
 * Resource route of the rule builder's live preview: the posted rule tree
 * evaluated by the engine on the session shop's stored orders, in the worker
 * (ADR 052); the count and a sample of matching customers with the reason, or
 * the errors per field (400), or 503 when the worker did not answer in time.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const values = ruleFormFromFormData(await request.formData());
  if (!values) return json({ ok: false as const, errors: { form: t("rules.errors.badForm") } }, { status: 400 });
  const result = await previewRuleForm(appRulesDeps(), shop, values, { signal: request.signal });
  return json(result, { status: result.ok ? 200 : result.unavailable ? 503 : 400 });
};
