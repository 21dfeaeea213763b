import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { customerFeaturesFromOrders } from "../features/customer";
import { parseSettings } from "../settings";
import { CHANNEL_GROUPS } from "../segments/channels";
import { deriveFeatures } from "../segments/derive";
import type { EngineOrder } from "../types";

const DAY = 86_400_000;
const asOf = Date.UTC(2025, 5, 30, 12);

describe("marketing family", () => {
  it("has an acquisition segment with a rule in words for every channel group", () => {
    const catalog = segmentCatalog(parseSettings({ marketing: { campaignResponderMinOrders: 2 } }));
    for (const c of CHANNEL_GROUPS) {
      const e = catalog.find((x) => x.key === `marketing/acquired-${c}`);
      expect(e?.needs).toBe("journey");
      expect(e?.definition).toMatch(new RegExp(`^The first order came via ${c.replace(/-/g, " ")}: .+`));
    }
    expect(catalog.find((x) => x.key === "marketing/campaign-responders")?.definition).toBe(
      "At least 2 orders after the first one from a campaign: utm_campaign set, or a paid, email, SMS, push, display or affiliate utm_medium",
    );
  });

  it("assigns the first touch and later campaign orders, with the journey in the reason", () => {
    const c = customerFeaturesFromOrders(
      "c",
      [
        { utmSource: "google", utmMedium: "cpc", utmCampaign: null },
        { utmSource: "newsletter", utmMedium: "email", utmCampaign: "june" },
      ].map((touch, k) => ({
        id: `o${k}`,
        customerId: "c",
        processedAt: asOf - (30 - 10 * k) * DAY,
        totalMinor: 1000,
        referrerDomain: null,
        sourceName: "web",
        ...touch,
      })),
      "UTC",
    );
    const settings = parseSettings({});
    const cutoffs = fitShop([c], settings, asOf);
    const marketing = assignSegments(c, cutoffs, settings, asOf).memberships.filter((m) => m.family === "marketing");
    expect(marketing.map((m) => `${m.segment}: ${m.reason}`)).toEqual([
      "acquired-paid-search: first order 2025-05-31 via paid-search (source google, medium cpc)",
      "campaign-responders: 1 later orders from campaigns >= 1",
    ]);
  });

  it("calls a first order without journey data unknown, not direct, and gives it no acquisition segment", () => {
    const order = (id: string, daysAgo: number, journey: Partial<EngineOrder>): EngineOrder => ({
      id,
      customerId: id,
      processedAt: asOf - daysAgo * DAY,
      totalMinor: 1000,
      sourceName: "web", // every online order has it: it names no channel
      ...journey,
    });
    const customers = [
      // The Online Retail shape: no UTM, no referrer, no recorded visit.
      customerFeaturesFromOrders("unknown", [order("unknown", 20, {})], "UTC"),
      // A recorded visit (landing page) without UTM or referrer: direct traffic.
      customerFeaturesFromOrders("direct", [order("direct", 20, { visitRecorded: true })], "UTC"),
      // A later order's journey does not say how the customer first came.
      customerFeaturesFromOrders(
        "later",
        [order("later", 30, {}), { ...order("later", 10, { utmSource: "google", utmMedium: "cpc" }), id: "later2" }],
        "UTC",
      ),
    ];
    const settings = parseSettings({});
    const cutoffs = fitShop(customers, settings, asOf);
    const ctx = {
      asOfDay: Math.floor(asOf / DAY),
      minTenureDays: 0,
      hemisphere: "north" as const,
      priceQuantiles: null,
    };
    expect(customers.map((c) => deriveFeatures(c, ctx).acquisitionChannel)).toEqual(["unknown", "direct", "unknown"]);
    const acquired = customers.map((c) =>
      assignSegments(c, cutoffs, settings, asOf)
        .memberships.filter((m) => m.segment.startsWith("acquired-"))
        .map((m) => m.segment),
    );
    expect(acquired).toEqual([[], ["acquired-direct"], []]);
    // With "web" as the only source name, a shop has no journey data at all.
    const onlineRetail = [customerFeaturesFromOrders("u", [order("u", 5, {})], "UTC")];
    expect(fitShop(onlineRetail, settings, asOf).availability.journey).toBe(false);
  });
});
