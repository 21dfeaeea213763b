// Acquisition channel groups from the first order's UTM parameters, referrer,
// recorded visit and order source. Rules are ordered: a point-of-sale order,
// then an explicit UTM medium, then the UTM source, then the referrer domain,
// then "direct" for a recorded visit without any of those. An order that
// carries none of this (an imported or draft order, a data set without
// journey data) is "unknown": nothing says how the customer came.

export const CHANNEL_GROUPS = [
  "direct",
  "organic-search",
  "paid-search",
  "organic-social",
  "paid-social",
  "email",
  "sms",
  "referral",
  "affiliate",
  "display",
  "point-of-sale",
  "other",
] as const;
export type ChannelGroup = (typeof CHANNEL_GROUPS)[number];

/** Each group's rule in plain words, for the catalog's definitions (keep beside the rules below). */
export const CHANNEL_RULE_WORDS: Record<ChannelGroup, string> = {
  direct: "a recorded visit to the online store with no UTM parameters and no referrer",
  "organic-search":
    "utm_medium organic, a search engine as utm_source without a medium, or a search engine as referrer",
  "paid-search": "a paid utm_medium (cpc, ppc, paid, cpv, cpa) from a source that is not a social network",
  "organic-social":
    "a social utm_medium that is not paid, a social network as utm_source without a medium, or a social network as referrer",
  "paid-social": "a paid utm_medium (cpc, ppc, paid, cpv, cpa) from a social network, or with social in the medium",
  email: "utm_medium email, e-mail or newsletter",
  sms: "utm_medium sms, text, mms or push",
  referral: "utm_medium referral, or a referrer that is neither a search engine nor a social network",
  affiliate: "a utm_medium containing affiliate or partner",
  display: "utm_medium display, banner, cpm or programmatic",
  "point-of-sale": "an order from Shopify POS (order source pos)",
  other: "any other utm_medium, or a utm_source that is neither a known search engine nor a social network",
};

/** A first order that says nothing about how the customer came: no channel, no segment. */
export const UNKNOWN_CHANNEL = "unknown";
export type AcquisitionChannel = ChannelGroup | typeof UNKNOWN_CHANNEL;

/**
 * Whether an order source names an acquisition channel. Shopify's
 * source_name is the sales channel or app that created the order: "web"
 * (online store checkout), "pos", "shopify_draft_order", "iphone",
 * "android", or an app's id or handle. Only a point-of-sale order says how
 * the customer came (in store); the others say where the checkout happened.
 */
export function isChannelSourceName(sourceName: string | null | undefined): boolean {
  return sourceName === "pos";
}

const SEARCH = /(^|\.)(google|bing|yahoo|duckduckgo|ecosia|baidu|yandex|naver|qwant|startpage|brave)\./;
const SEARCH_SOURCE = /^(google|bing|yahoo|duckduckgo|ecosia|baidu|yandex|naver)$/;
const SOCIAL =
  /(^|\.)(facebook|fb|instagram|t\.co|twitter|x\.com|pinterest|tiktok|linkedin|reddit|youtube|snapchat|threads|lnkd)(\.|$)/;
const SOCIAL_SOURCE =
  /^(facebook|fb|ig|instagram|twitter|x|pinterest|tiktok|linkedin|reddit|youtube|snapchat|meta|threads)$/;

export interface JourneyTouch {
  utmSource: string | null;
  utmMedium: string | null;
  referrerDomain: string | null;
  sourceName: string | null;
  /** Shopify recorded the visit (landing page) that led to the order. */
  visitRecorded?: boolean | null;
}

export function channelGroup(t: JourneyTouch): AcquisitionChannel {
  const medium = t.utmMedium?.trim().toLowerCase() || "";
  const source = t.utmSource?.trim().toLowerCase() || "";
  const ref = t.referrerDomain?.trim().toLowerCase() || "";
  if (isChannelSourceName(t.sourceName)) return "point-of-sale";
  if (medium) {
    if (/^(e-?mail|newsletter)/.test(medium)) return "email";
    if (/^(sms|text|mms|push)/.test(medium)) return "sms";
    if (/affiliate|partner/.test(medium)) return "affiliate";
    if (/^(display|banner|cpm|programmatic)/.test(medium)) return "display";
    if (/(cpc|ppc|paid|cpv|cpa)/.test(medium)) {
      return SOCIAL_SOURCE.test(source) || /social/.test(medium) ? "paid-social" : "paid-search";
    }
    if (/social/.test(medium)) return "organic-social";
    if (/^organic/.test(medium)) return "organic-search";
    if (/^referral/.test(medium)) return "referral";
    return "other";
  }
  if (source) {
    if (SEARCH_SOURCE.test(source)) return "organic-search";
    if (SOCIAL_SOURCE.test(source)) return "organic-social";
    return "other";
  }
  if (ref) {
    if (SEARCH.test(ref)) return "organic-search";
    if (SOCIAL.test(ref)) return "organic-social";
    return "referral";
  }
  return t.visitRecorded ? "direct" : UNKNOWN_CHANNEL;
}
