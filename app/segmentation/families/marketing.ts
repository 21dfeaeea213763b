// marketing: how customers were acquired (the channel group of the first
// order: UTM parameters, referrer, order source; rules in
// segments/channels.ts) and who responds to campaigns later. Needs journey
// data (UTM/referrer/source on orders); rule-based, no fit step.
import { z } from "zod";
import { isoOfDay } from "../features/clock";
import { CHANNEL_GROUPS, CHANNEL_RULE_WORDS } from "../segments/channels";
import type { DerivedFeatures } from "../rules/features";
import { addMembership, catalogEntry, type FamilyModule } from "./family";

const marketingSettings = z
  .strictObject({
    campaignResponderMinOrders: z.number().int().min(1).default(1),
  })
  .prefault({});

const ACQUIRED_HANDLE: Record<string, string> = Object.fromEntries(CHANNEL_GROUPS.map((c) => [c, `acquired-${c}`]));

export const marketingFamily: FamilyModule<"marketing", typeof marketingSettings> = {
  family: "marketing",
  settings: { key: "marketing", schema: marketingSettings },
  catalog({ settings }) {
    const min = settings.marketing.campaignResponderMinOrders;
    return [
      ...CHANNEL_GROUPS.map((c) =>
        catalogEntry(
          "marketing",
          ACQUIRED_HANDLE[c],
          `Acquired via ${c.replace(/-/g, " ")}`,
          `First order came from the ${c} channel group`,
          `The first order came via ${c.replace(/-/g, " ")}: ${CHANNEL_RULE_WORDS[c]}`,
          "journey",
        ),
      ),
      catalogEntry(
        "marketing",
        "campaign-responders",
        "Campaign responders",
        `At least ${min} later order(s) from a campaign (utm_campaign or a paid/email/SMS medium)`,
        `At least ${min} order${min > 1 ? "s" : ""} after the first one from a campaign: utm_campaign set, or a paid, email, SMS, push, display or affiliate utm_medium`,
        "journey",
      ),
    ];
  },
  prepare({ cutoffs, settings }) {
    const journey = cutoffs.availability.journey;
    const minCampaignOrders = settings.marketing.campaignResponderMinOrders;
    return (cf, d, out) => {
      if (!journey || cf.orders === 0) return;
      if (d.acquisitionChannel !== null && d.acquisitionChannel in ACQUIRED_HANDLE) {
        addMembership(
          out,
          "marketing",
          ACQUIRED_HANDLE[d.acquisitionChannel],
          out.withReasons ? acquisitionReason(d) : "",
        );
      }
      if ((d.laterCampaignOrders ?? 0) >= minCampaignOrders) {
        addMembership(
          out,
          "marketing",
          "campaign-responders",
          out.withReasons ? `${d.laterCampaignOrders} later orders from campaigns >= ${minCampaignOrders}` : "",
        );
      }
    };
  },
};

/** "first order 2024-03-02 via paid (source google, medium cpc)". */
function acquisitionReason(d: DerivedFeatures): string {
  const detail = [
    d.acquisitionSource && `source ${d.acquisitionSource}`,
    d.acquisitionMedium && `medium ${d.acquisitionMedium}`,
    d.acquisitionReferrer && `referrer ${d.acquisitionReferrer}`,
  ]
    .filter(Boolean)
    .join(", ");
  return `first order ${isoOfDay(d.firstOrderDate ?? 0)} via ${d.acquisitionChannel}${detail ? ` (${detail})` : ""}`;
}
