import { json, type MetaFunction, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import prisma from "../db.server";
import { SettingsForm } from "../components/settings/settings-form";
import { t } from "../i18n";
import { queues } from "../queues/registry.server";
import { settingsFormFromFormData } from "../settings/settings-form";
import {
  dryRunSettingsForm,
  loadSettingsPage,
  saveSettingsForm,
  type SettingsDeps,
} from "../settings/settings-page.server";
import { requireAdmin } from "../shopify/admin-session.server";

async function depsFor(request: Request): Promise<{ deps: SettingsDeps; shop: string; preview: boolean }> {
  const { shop, admin, preview } = await requireAdmin(request);
  return { deps: { db: prisma, queues, admin }, shop, preview };
}

/** The session shop's settings as the form shows them, with the segment catalog. */
export const meta: MetaFunction = () => [{ title: `${t("settings.title")} · ${t("app.name")}` }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { deps, shop, preview } = await depsFor(request);
  return json({ page: await loadSettingsPage(deps, shop), embedded: !preview });
};

/**
 * intent=dry-run: what saving would change (nothing stored; computed by the
 * worker, 503 when it does not answer in time); intent=save: stored and a
 * recompute scheduled (only the write-back when memberships and metafields
 * stay the same: workAfterSettingsChange). Both validate the form again and
 * refuse a prefix that captures the store's own tags: 400 with a message per
 * field.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { deps, shop } = await depsFor(request);
  const form = await request.formData();
  const values = settingsFormFromFormData(form);
  if (!values) return json({ ok: false as const, errors: { form: t("settings.errors.badForm") } }, { status: 400 });
  if (form.get("intent") === "save") {
    const saved = await saveSettingsForm(deps, shop, values);
    return json(saved.ok ? { ...saved, saved: true as const } : saved, { status: saved.ok ? 200 : 400 });
  }
  const dryRun = await dryRunSettingsForm(deps, shop, values, { signal: request.signal });
  return json(dryRun, { status: dryRun.ok ? 200 : dryRun.unavailable ? 503 : 400 });
};

export default function Settings() {
  const { page, embedded } = useLoaderData<typeof loader>();
  return <SettingsForm page={page} embedded={embedded} />;
}
