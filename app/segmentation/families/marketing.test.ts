import { describe, expect, it } from "vitest";
import { assignSegments } from "../assign";
import { segmentCatalog } from "../catalog";
import { fitShop } from "../cutoffs";
import { customerFeaturesFromOrders } from "../features/customer";
import { parseSettings } from "../settings";
import { CHANNEL_GROUPS } from "../segments/channels";

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
});
