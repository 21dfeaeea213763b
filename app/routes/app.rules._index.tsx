import { json, type MetaFunction, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { RulesList } from "../components/rules/rules-list";
import {
  appRulesDeps,
  deleteCustomSegment,
  listCustomSegments,
  ruleHandleParam,
} from "../settings/custom-segments.server";
import { t } from "../i18n";
import { requireAdmin } from "../shopify/admin-session.server";

/** The session shop's custom segments with their rule in words and member count. */
export const meta: MetaFunction = () => [{ title: `${t("rules.title")} · ${t("app.name")}` }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, preview } = await requireAdmin(request);
  return json({ rows: await listCustomSegments(appRulesDeps(), shop), embedded: !preview });
};

/** Deletes one of the shop's custom segments (`handle`); another shop's or an unknown one is a 404. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const handle = ruleHandleParam(String(form.get("handle") ?? ""));
  await deleteCustomSegment(appRulesDeps(), shop, handle);
  return redirect("/app/rules?deleted=1");
};

export default function RulesIndex() {
  const { rows, embedded } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <RulesList
      rows={rows}
      embedded={embedded}
      notice={params.get("deleted") ? "deleted" : params.get("saved") ? "saved" : null}
    />
  );
}
