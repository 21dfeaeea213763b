// The custom segment and settings pages' loaders and actions against the real
// database, the queue and the simulator (Admin API for the store's tags):
// previews that agree with the stored orders, errors next to their field,
// 404s for other shops' and malformed ids, a dry run whose counts are the
// recompute's actual tag changes, and the refused tag prefix.
import { AS_OF } from "./as-of";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { seedCustomersAndOrders } from "../helpers/synthetic-shop";
import { QUEUE } from "../../app/queues/names";
import { queues } from "../../app/queues/registry.server";
import { processChunk } from "../../app/recompute/chunk.server";
import { fitShopStep } from "../../app/recompute/fit.server";
import { nightlySchedulerId } from "../../app/queues/segments.server";
import { loadShopConfig } from "../../app/settings/settings.server";
import { newCondition, type GroupNode, type RuleFormValues } from "../../app/settings/rule-form";
import type { SettingsFormValues } from "../../app/settings/settings-form";
import { computeTagChanges } from "../../app/writeback/tag-changes.server";
import { routeAnswer as answer, signedInAdmin, type AdminRequests } from "../helpers/admin-routes";
import { cleanRedisPrefix } from "../helpers/queue-backends";
import { simulatedStore, startAppWorkers } from "../helpers/sim-app";

const STORE = "rules-settings";
const DOMAIN = `${STORE}.myshopify.com`;
const asOf = new Date(AS_OF);

let store: Awaited<ReturnType<typeof simulatedStore>>;
let admin: AdminRequests;
let client: pg.Client;
let rulesIndex: typeof import("../../app/routes/app.rules._index");
let rulesNew: typeof import("../../app/routes/app.rules.new");
let rulesEdit: typeof import("../../app/routes/app.rules.$id");
let rulesPreview: typeof import("../../app/routes/app.rules.preview");
let settings: typeof import("../../app/routes/app.settings");
let previewWorkers: ReturnType<typeof startAppWorkers> | undefined;

const request = (path: string, body?: FormData) => admin.request(path, { body });

function ruleForm(values: RuleFormValues): FormData {
  const form = new FormData();
  form.set("handle", values.handle);
  form.set("title", values.title);
  form.set("description", values.description);
  form.set("tree", JSON.stringify(values.root));
  return form;
}

function rootOf(...children: GroupNode["children"]): GroupNode {
  return { id: "root", kind: "group", negate: false, mode: "all", children };
}

function condition(feature: string, op: string, value: string, extra: { value2?: string; negate?: boolean } = {}) {
  return { ...newCondition(), feature, op, value, value2: extra.value2 ?? "", negate: extra.negate ?? false } as never;
}

async function recomputeNow() {
  const config = await loadShopConfig(prisma, store.shopId);
  const fit = await fitShopStep(client, config, asOf, { chunkSize: 1000 });
  for (const range of fit.ranges)
    await processChunk(client, { config, cutoffs: fit.cutoffs, asOf, range, recordTransitions: !fit.firstRun });
}

/** What a write-back would record: each customer's app tags after applying the tag changes. */
async function applyTagChanges() {
  const config = await loadShopConfig(prisma, store.shopId);
  for (const change of await computeTagChanges(client, config)) {
    const removed = new Set(change.diff.remove.map((t) => t.toLowerCase()));
    const tags = [...change.current.filter((t) => !removed.has(t.toLowerCase())), ...change.diff.add];
    await prisma.customer.update({
      where: { shopId_id: { shopId: store.shopId, id: BigInt(change.customerId) } },
      data: { appTags: tags },
    });
  }
}

beforeAll(async () => {
  store = await simulatedStore({ domain: DOMAIN, timezone: "UTC", currency: "USD" });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = store.sim.url;
  admin = await signedInAdmin(DOMAIN, store.accessToken);
  rulesIndex = await import("../../app/routes/app.rules._index");
  rulesNew = await import("../../app/routes/app.rules.new");
  rulesEdit = await import("../../app/routes/app.rules.$id");
  rulesPreview = await import("../../app/routes/app.rules.preview");
  settings = await import("../../app/routes/app.settings");
  // The previews the pages wait for are the worker's jobs (ADR 052): only that queue here.
  previewWorkers = startAppWorkers((await queues()).backend, store, [QUEUE.previews]);
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();

  // 120 customers with 1 to 8 orders over two years, 10 without orders.
  await seedCustomersAndOrders(store.shopId, { asOf, customers: 130, withOrders: 120, cycle: 8, beforeMs: 3_600_000 });
  await recomputeNow();
  await applyTagChanges();

  // Another shop with a custom segment of its own.
  await prisma.shop.create({
    data: {
      domain: "someone-else.myshopify.com",
      status: "installed",
      settings: {
        segmentation: {
          customSegments: [{ handle: "their-vips", title: "Theirs", rule: { feature: "orders", op: "gte", value: 2 } }],
        },
      },
    },
  });
});

afterAll(async () => {
  await previewWorkers?.close();
  await client?.end();
  await (await queues()).close();
  await store?.sim.close();
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

/** Customers with at least `n` orders, counted in SQL (no order of the fixture is cancelled or refunded). */
async function customersWithOrders(n: number): Promise<number> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM (SELECT "customerId" FROM "Order" WHERE "shopId" = $1 GROUP BY 1 HAVING count(*) >= $2) x`,
    [store.shopId, n],
  );
  return rows[0].n;
}

describe("custom segment preview", () => {
  it("previews a rule on the stored orders: the count follows the rule, with reasons", async () => {
    const counts = [];
    for (const n of [3, 6]) {
      const res = await answer(() =>
        rulesPreview.action({
          request: request(
            "/app/rules/preview",
            ruleForm({ handle: "", title: "", description: "", root: rootOf(condition("orders", "gte", String(n))) }),
          ),
          params: {},
          context: {},
        }),
      );
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.count).toBe(await customersWithOrders(n));
      expect(body.customers).toBe(130);
      expect(body.sample.length).toBeGreaterThan(0);
      expect(body.sample[0].reason).toMatch(new RegExp(`^orders \\d+ >= ${n}$`));
      counts.push(body.count);
    }
    expect(counts[1]).toBeLessThan(counts[0]);
  });

  it("evaluates money in the shop's currency, OR groups and NOT", async () => {
    // Spent at least $100.00 (10000 minor units) and NOT more than 5 orders.
    const root = rootOf(
      condition("totalSpentMinor", "gte", "100.00"),
      condition("orders", "gt", "5", { negate: true }),
    );
    const res = await answer(() =>
      rulesPreview.action({
        request: request("/app/rules/preview", ruleForm({ handle: "", title: "", description: "", root })),
        params: {},
        context: {},
      }),
    );
    const body = await res.json();
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM (SELECT "customerId" FROM "Order" WHERE "shopId" = $1 GROUP BY 1
         HAVING sum("totalMinor") >= 10000 AND count(*) <= 5) x`,
      [store.shopId],
    );
    expect(body.count).toBe(rows[0].n);
    expect(body.sample[0].reason).toMatch(/totalSpentMinor \d+ >= 10000 and not \(orders > 5\)/);
  });

  it("puts each error next to its field and previews nothing for a broken rule", async () => {
    const money = condition("totalSpentMinor", "gte", "12.345");
    const between = condition("recencyDays", "between", "90", { value2: "30" });
    const date = condition("firstOrderDate", "lt", "2025-02-30");
    const res = await answer(() =>
      rulesPreview.action({
        request: request(
          "/app/rules/preview",
          ruleForm({ handle: "", title: "", description: "", root: rootOf(money, between, date) }),
        ),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    const m = money as { id: string };
    const b = between as { id: string };
    const d = date as { id: string };
    expect(body.errors[`${m.id}.value`]).toMatch(/at most 2 decimals/);
    expect(body.errors[`${b.id}.value`]).toMatch(/"between" low 90 is above high 30/);
    expect(body.errors[`${d.id}.value`]).toMatch(/is a date/);
  });
});

describe("custom segment pages", () => {
  it("saves a rule validated on the server, schedules a recompute, lists and edits it", async () => {
    const registry = await queues();
    const before = await registry.get(QUEUE.segments).getJobCounts();
    const root = rootOf(condition("orders", "gte", "4"), condition("avgOrderValueMinor", "gte", "50"));
    const created = await answer(() =>
      rulesNew.action({
        request: request(
          "/app/rules/new",
          ruleForm({ handle: "repeat-big", title: "Repeat big", description: "", root }),
        ),
        params: {},
        context: {},
      }),
    );
    expect(created.status).toBe(302);
    const stored = (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings as any;
    expect(stored.segmentation.customSegments).toEqual([
      {
        handle: "repeat-big",
        title: "Repeat big",
        description: "",
        rule: {
          all: [
            { feature: "orders", op: "gte", value: 4 },
            { feature: "avgOrderValueMinor", op: "gte", value: 5000 },
          ],
        },
      },
    ]);
    const after = await registry.get(QUEUE.segments).getJobCounts();
    const jobs = (c: Record<string, number>) => (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
    expect(jobs(after)).toBe(jobs(before) + 1);

    const list = await (
      await answer(() => rulesIndex.loader({ request: request("/app/rules"), params: {}, context: {} }))
    ).json();
    expect(list.rows).toEqual([expect.objectContaining({ handle: "repeat-big", title: "Repeat big" })]);
    expect(list.rows[0].definition).toBe("orders >= 4 and avgOrderValueMinor >= 5000");

    const edit = await (
      await answer(() =>
        rulesEdit.loader({ request: request("/app/rules/repeat-big"), params: { id: "repeat-big" }, context: {} }),
      )
    ).json();
    // Money comes back in major units, as the merchant typed it.
    expect(edit.page.values.root.children.map((c: any) => [c.feature, c.op, c.value])).toEqual([
      ["orders", "gte", "4"],
      ["avgOrderValueMinor", "gte", "50.00"],
    ]);
  });

  it("refuses an invalid rule, a taken or bad handle and an empty name, saving nothing", async () => {
    const settingsBefore = (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings;
    const bad = condition("orders", "between", "5", { value2: "2" });
    const res = await answer(() =>
      rulesNew.action({
        request: request(
          "/app/rules/new",
          ruleForm({ handle: "repeat-big", title: "", description: "", root: rootOf(bad) }),
        ),
        params: {},
        context: {},
      }),
    );
    expect(res.status).toBe(400);
    const { errors } = await res.json();
    expect(errors[`${(bad as { id: string }).id}.value`]).toMatch(/"between" low 5 is above high 2/);
    expect(errors.handle).toMatch(/exists already/);
    expect(errors.title).toBeTruthy();
    const badHandle = await answer(() =>
      rulesNew.action({
        request: request(
          "/app/rules/new",
          ruleForm({
            handle: "Bad Handle",
            title: "X",
            description: "",
            root: rootOf(condition("orders", "gte", "1")),
          }),
        ),
        params: {},
        context: {},
      }),
    );
    expect((await badHandle.json()).errors.handle).toMatch(/kebab-case/);
    const malformed = new FormData();
    malformed.set("tree", "{not json");
    expect(
      (await answer(() => rulesNew.action({ request: request("/app/rules/new", malformed), params: {}, context: {} })))
        .status,
    ).toBe(400);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings).toEqual(settingsBefore);
  });

  it("answers 404 for another shop's rule, an unknown one and a malformed id", async () => {
    for (const id of ["their-vips", "nope", "Not_A_Handle", "..%2F"]) {
      const loaded = await answer(() =>
        rulesEdit.loader({ request: request(`/app/rules/${encodeURIComponent(id)}`), params: { id }, context: {} }),
      );
      expect(loaded.status, id).toBe(404);
      const form = ruleForm({ handle: id, title: "X", description: "", root: rootOf(condition("orders", "gte", "1")) });
      const saved = await answer(() =>
        rulesEdit.action({ request: request(`/app/rules/${id}`, form), params: { id }, context: {} }),
      );
      expect(saved.status, id).toBe(404);
    }
    const del = new FormData();
    del.set("handle", "their-vips");
    expect(
      (await answer(() => rulesIndex.action({ request: request("/app/rules", del), params: {}, context: {} }))).status,
    ).toBe(404);
    const theirs = await prisma.shop.findUniqueOrThrow({ where: { domain: "someone-else.myshopify.com" } });
    expect((theirs.settings as any).segmentation.customSegments).toHaveLength(1);
  });

  it("deletes a rule", async () => {
    const del = new FormData();
    del.set("intent", "delete");
    const res = await answer(() =>
      rulesEdit.action({ request: request("/app/rules/repeat-big", del), params: { id: "repeat-big" }, context: {} }),
    );
    expect(res.status).toBe(302);
    const stored = (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings as any;
    expect(stored.segmentation.customSegments).toEqual([]);
  });
});

async function loadValues(): Promise<SettingsFormValues> {
  const res = await answer(() => settings.loader({ request: request("/app/settings"), params: {}, context: {} }));
  return (await res.json()).page.values;
}
function post(intent: "dry-run" | "save", values: SettingsFormValues) {
  const form = new FormData();
  form.set("intent", intent);
  form.set("values", JSON.stringify(values));
  return answer(() => settings.action({ request: request("/app/settings", form), params: {}, context: {} }));
}

describe("settings page", () => {
  it("shows a dry run whose counts are the recompute's actual tag changes, then saves and schedules", async () => {
    const values = await loadValues();
    expect(values.tagPrefix).toBe("seg:");
    expect(values.thresholds["loyalty.loyalMinOrders"]).toBe("4");
    const changed = {
      ...values,
      thresholds: { ...values.thresholds, "loyalty.loyalMinOrders": "6", "loyalty.atRiskAfterDays": "60" },
      nightlyHour: "5",
    };
    const res = await post("dry-run", changed);
    expect(res.status).toBe(200);
    const { dryRun } = await res.json();
    expect(dryRun.recomputed).toBe(true);
    expect(dryRun.onSave).toBe("recompute");
    expect(dryRun.customersChanged).toBeGreaterThan(0);
    const loyal = dryRun.tags.find((t: any) => t.tag === "seg:loyalty-loyal");
    expect(loyal.lose).toBeGreaterThan(0);
    expect(loyal.sample.lose.length).toBe(Math.min(5, loyal.lose));
    // Nothing stored by the dry run.
    expect(
      ((await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings as any).segmentation.loyalty,
    ).toBeUndefined();

    const saved = await post("save", changed);
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ ok: true, saved: true, next: "recompute" });
    const stored = (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings as any;
    expect(stored.segmentation.loyalty).toEqual({ loyalMinOrders: 6, atRiskAfterDays: 60 });
    expect(stored.schedule).toEqual({ nightlyHour: 5 });
    const scheduler = await (await queues()).get(QUEUE.segments).getJobScheduler(nightlySchedulerId(DOMAIN));
    expect(scheduler?.pattern).toBe("0 5 * * *");

    // The recompute the save scheduled, run here: its tag changes are the dry run's.
    await recomputeNow();
    const config = await loadShopConfig(prisma, store.shopId);
    const actual = new Map<string, { gain: number; lose: number }>();
    for (const change of await computeTagChanges(client, config)) {
      for (const [list, side] of [
        [change.diff.add, "gain"],
        [change.diff.remove, "lose"],
      ] as const) {
        for (const tag of list) {
          const entry = actual.get(tag) ?? { gain: 0, lose: 0 };
          entry[side]++;
          actual.set(tag, entry);
        }
      }
    }
    expect(Object.fromEntries(actual)).toEqual(
      Object.fromEntries(dryRun.tags.map((t: any) => [t.tag, { gain: t.gain, lose: t.lose }])),
    );
    await applyTagChanges();
  });

  it("puts a bad threshold, window or hour next to its field and saves nothing", async () => {
    const values = await loadValues();
    const before = (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings;
    const res = await post("save", {
      ...values,
      thresholds: { ...values.thresholds, "loyalty.atRiskAfterDays": "400", "usage.heavyTopShare": "1.5" },
      windows: [
        { handle: "summer-sale", title: "Summer sale", kind: "yearly", start: "06-31", end: "07-15" },
        { handle: "holiday-season", title: "Dup", kind: "dates", start: "2025-03-01", end: "2025-02-01" },
      ],
    });
    expect(res.status).toBe(400);
    const { errors } = await res.json();
    expect(errors["thresholds.loyalty.atRiskAfterDays"]).toMatch(
      /atRiskAfterDays must be smaller than lapsedAfterDays/,
    );
    expect(errors["thresholds.usage.heavyTopShare"]).toMatch(/1/);
    expect(errors["windows.0.start"]).toMatch(/no such day/);
    expect(errors["windows.1.handle"]).toMatch(/already used/);
    const hour = await post("dry-run", { ...values, nightlyHour: "24" });
    expect((await hour.json()).errors.nightlyHour).toMatch(/0 to 23/);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings).toEqual(before);
  });

  it("stores a merchant's window, which becomes a segment", async () => {
    const values = await loadValues();
    const res = await post("save", {
      ...values,
      windows: [{ handle: "summer-sale", title: "Summer sale", kind: "yearly", start: "06-01", end: "07-15" }],
    });
    expect(res.status).toBe(200);
    const page = await (
      await answer(() => settings.loader({ request: request("/app/settings"), params: {}, context: {} }))
    ).json();
    expect(page.page.segments.map((s: any) => s.key)).toContain("occasion/summer-sale");
    expect(page.page.values.windows).toEqual([
      { handle: "summer-sale", title: "Summer sale", kind: "yearly", start: "06-01", end: "07-15" },
    ]);
  });

  it("refuses a tag prefix that would capture the store's own tags, compared without case", async () => {
    store.sim.generate(DOMAIN, {
      seed: 7,
      customers: 3,
      orders: 0,
      startDate: "2025-01-01",
      endDate: "2025-06-01",
      discountShare: 0,
      seasonality: 0,
    });
    const simStore = store.sim.shop(DOMAIN).store;
    simStore.setTags(0, ["VIP-Gold", "seg:rfm-champions"], 0);
    simStore.setTags(1, ["wholesale"], 0);
    const values = await loadValues();
    const before = (await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings;

    const refused = await post("save", { ...values, tagPrefix: "vip-" });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.tagPrefix).toMatch(/capture 1 tag\(s\) the app did not write: VIP-Gold/);
    // "s" captures "seg:rfm-champions" only, which is the app's own (under its prefix "seg:").
    const dry = await post("dry-run", { ...values, tagPrefix: "w" });
    expect((await dry.json()).errors.tagPrefix).toMatch(/wholesale/);
    const empty = await post("dry-run", { ...values, tagPrefix: "" });
    expect((await empty.json()).errors.tagPrefix).toMatch(/cannot be empty/);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: store.shopId } })).settings).toEqual(before);

    const moved = await post("dry-run", { ...values, tagPrefix: "Segment/" });
    expect(moved.status).toBe(200);
    const { dryRun } = await moved.json();
    expect(dryRun.recomputed).toBe(false);
    const old = dryRun.tags.find((t: any) => t.tag === "seg:rfm-champions");
    const renamed = dryRun.tags.find((t: any) => t.tag === "Segment/rfm-champions");
    expect(old.lose).toBe(renamed.gain);
    expect(old.lose).toBeGreaterThan(0);
  });

  it("answers 404 to a shop that is not installed", async () => {
    await prisma.shop.update({ where: { id: store.shopId }, data: { status: "uninstalled" } });
    try {
      const res = await answer(() => settings.loader({ request: request("/app/settings"), params: {}, context: {} }));
      expect(res.status).toBe(404);
    } finally {
      await prisma.shop.update({ where: { id: store.shopId }, data: { status: "installed" } });
    }
  });
});

describe("settings page: what a save runs", () => {
  it("saves a change that moves only tags with the write-back alone, no recompute", async () => {
    const values = await loadValues();
    const preview = await post("dry-run", { ...values, tagPrefix: "Segment/" });
    expect((await preview.json()).dryRun.onSave).toBe("writeback");
    // Saved: the memberships stand, so only the write-back runs (it moves the tags), no recompute.
    const registry = await queues();
    const recomputes = async () =>
      (await registry.get(QUEUE.segments).getJobs(["waiting", "prioritized", "active"])).filter(
        (j) => j.name === "recompute.shop",
      ).length;
    // The recompute an earlier save requested goes first (a waiting one would absorb another request).
    for (const job of await registry.get(QUEUE.segments).getJobs(["waiting", "prioritized"])) await job.remove();
    expect(await recomputes()).toBe(0);
    const saved = await post("save", { ...values, tagPrefix: "Segment/" });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ ok: true, saved: true, next: "writeback" });
    const writebacks = await registry.get(QUEUE.writeback).getJobs(["waiting", "prioritized"]);
    expect(writebacks.map((j) => j.name)).toContain("writeback.shop");
    expect(await recomputes()).toBe(0);
  });
});
