// The settings page's insights and retention section, through the route's
// loader and action on the real database, the queue and the simulator (the
// session's shop): values saved and shown again, the insights key kept by
// every other save path, and invalid values refused next to their field
// with nothing stored. The same validation runs in the browser
// (validateSettingsForm), checked here on its own too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { insightsSettingsOf } from "../../app/insights/core";
import { queues } from "../../app/queues/registry.server";
import { validateSettingsForm, type SettingsFormValues } from "../../app/settings/settings-form";
import { updateShopSettings } from "../../app/settings/settings.server";
import { retentionSettingsOf } from "../../app/settings/retention";
import { ShopSettingsError } from "../../app/settings/shop-config";
import { routeAnswer as answer, signedInAdmin, type AdminRequests } from "../helpers/admin-routes";
import { cleanRedisPrefix } from "../helpers/queue-backends";
import { simulatedStore } from "../helpers/sim-app";

const STORE = "settings-retention";
const DOMAIN = `${STORE}.myshopify.com`;

let store: Awaited<ReturnType<typeof simulatedStore>>;
let admin: AdminRequests;
let settings: typeof import("../../app/routes/app.settings");

const request = (body?: FormData) => admin.request("/app/settings", { body });

async function loadValues(): Promise<SettingsFormValues> {
  const res = await answer(() => settings.loader({ request: request(), params: {}, context: {} }));
  expect(res.status).toBe(200);
  return (await res.json()).page.values;
}

function post(intent: "dry-run" | "save", values: SettingsFormValues) {
  const form = new FormData();
  form.set("intent", intent);
  form.set("values", JSON.stringify(values));
  return answer(() => settings.action({ request: request(form), params: {}, context: {} }));
}

const storedSettings = async () =>
  (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings as Record<string, any>;

beforeAll(async () => {
  store = await simulatedStore({ domain: DOMAIN, timezone: "UTC", currency: "USD" });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = store.sim.url;
  admin = await signedInAdmin(DOMAIN, store.accessToken);
  settings = await import("../../app/routes/app.settings");
});

afterAll(async () => {
  await (await queues()).close();
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

describe("settings: insights and retention", () => {
  it("shows the defaults, saves the section's values and shows them again", async () => {
    const values = await loadValues();
    expect(values.insights).toEqual({ retentionDays: "400", alertThresholdPercent: "25", alertMinSize: "20" });
    expect(values.retention).toEqual({ historyDays: "730", activityDays: "90", complianceDays: "730" });

    const res = await post("save", {
      ...values,
      insights: { retentionDays: "500", alertThresholdPercent: "35", alertMinSize: "50" },
      retention: { historyDays: "900", activityDays: "30", complianceDays: "1095" },
    });
    expect(res.status).toBe(200);
    const stored = await storedSettings();
    expect(stored.insights).toEqual({ retentionDays: 500, alertThreshold: 0.35, alertMinSize: 50 });
    expect(stored.retention).toEqual({ historyDays: 900, activityDays: 30, complianceDays: 1095 });
    // What the stages read.
    expect(insightsSettingsOf(stored)).toMatchObject({ retentionDays: 500, alertThreshold: 0.35, alertMinSize: 50 });
    expect(retentionSettingsOf(stored)).toEqual({ historyDays: 900, activityDays: 30, complianceDays: 1095 });

    const again = await loadValues();
    expect(again.insights).toEqual({ retentionDays: "500", alertThresholdPercent: "35", alertMinSize: "50" });
    expect(again.retention).toEqual({ historyDays: "900", activityDays: "30", complianceDays: "1095" });
  });

  it("keeps the insights and retention settings when another path saves (rules, tags), and the lift minimums the page does not show", async () => {
    const before = await storedSettings();
    await prisma.shop.update({
      where: { id: store.shopId },
      data: { settings: { ...before, insights: { ...before.insights, liftMinGroupSize: 40 } } },
    });
    // The custom segments' and the tests' path: segmentation and write-back only.
    await updateShopSettings(prisma, store.shopId, { segmentation: {}, writeback: { tagPrefix: "seg:" } });
    const stored = await storedSettings();
    expect(stored.insights).toEqual({
      retentionDays: 500,
      alertThreshold: 0.35,
      alertMinSize: 50,
      liftMinGroupSize: 40,
    });
    expect(stored.retention).toEqual({ historyDays: 900, activityDays: 30, complianceDays: 1095 });

    // The page's save keeps the minimum it does not show.
    const values = await loadValues();
    const res = await post("save", { ...values, insights: { ...values.insights, alertMinSize: "60" } });
    expect(res.status).toBe(200);
    expect((await storedSettings()).insights).toEqual({
      retentionDays: 500,
      alertThreshold: 0.35,
      alertMinSize: 60,
      liftMinGroupSize: 40,
    });
  });

  it("puts each invalid value next to its field and saves nothing, on save and on the dry run", async () => {
    const values = await loadValues();
    const before = await storedSettings();
    const bad = {
      ...values,
      insights: { retentionDays: "20", alertThresholdPercent: "0", alertMinSize: "2.5" },
      retention: { historyDays: "abc", activityDays: "7", complianceDays: "5000" },
    };
    for (const intent of ["save", "dry-run"] as const) {
      const res = await post(intent, bad);
      expect(res.status).toBe(400);
      const { errors } = await res.json();
      expect(errors).toEqual({
        "insights.retentionDays": "Enter a whole number from 30 to 1830.",
        "insights.alertThresholdPercent": "Enter a percentage above 0 and at most 1000.",
        "insights.alertMinSize": "Enter a whole number from 1 to 1000000.",
        "retention.historyDays": "Enter a whole number from 90 to 1830.",
        "retention.activityDays": "Enter a whole number from 14 to 365.",
        "retention.complianceDays": "Enter a whole number from 365 to 2190.",
      });
    }
    // A history shorter than the snapshots: refused next to the history.
    const shorter = await post("save", {
      ...values,
      insights: { ...values.insights, retentionDays: "1000" },
      retention: { ...values.retention, historyDays: "900" },
    });
    expect(shorter.status).toBe(400);
    expect((await shorter.json()).errors).toEqual({
      "retention.historyDays":
        "Keep the segment history at least as long as the daily snapshots (1000 days): the movement between segments reads the history of the whole period.",
    });
    expect(await storedSettings()).toEqual(before);
    // A form without the section is not the page's form.
    const { insights: _insights, ...withoutInsights } = values;
    const form = new FormData();
    form.set("intent", "save");
    form.set("values", JSON.stringify(withoutInsights));
    const malformed = await answer(() => settings.action({ request: request(form), params: {}, context: {} }));
    expect(malformed.status).toBe(400);
    expect(await storedSettings()).toEqual(before);
  });

  it("validates the same way in the browser, before anything is posted", async () => {
    const values = await loadValues();
    const stored = await storedSettings();
    const shop = { timezone: "UTC", currency: "USD" };
    const checked = validateSettingsForm(
      { ...values, insights: { ...values.insights, alertThresholdPercent: "-5" } },
      stored,
      shop,
    );
    expect(checked).toEqual({
      ok: false,
      errors: { "insights.alertThresholdPercent": "Enter a percentage above 0 and at most 1000." },
    });
    const fine = validateSettingsForm(
      { ...values, retention: { ...values.retention, activityDays: "45" } },
      stored,
      shop,
    );
    expect(fine.ok && fine.input.retention).toEqual({ historyDays: 900, activityDays: 45, complianceDays: 1095 });
  });

  it("refuses stored-settings input that breaks the rules on the server path too", async () => {
    await expect(
      updateShopSettings(prisma, store.shopId, {
        writeback: { tagPrefix: "seg:" },
        insights: { retentionDays: 600 },
        retention: { historyDays: 300 },
      }),
    ).rejects.toThrow(ShopSettingsError);
    await expect(
      updateShopSettings(prisma, store.shopId, { writeback: { tagPrefix: "seg:" }, insights: { alertThreshold: 0 } }),
    ).rejects.toThrow(/insights\.alertThreshold/);
    expect((await storedSettings()).retention).toEqual({ historyDays: 900, activityDays: 30, complianceDays: 1095 });
  });
});
