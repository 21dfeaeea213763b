import { describe, expect, it } from "vitest";
import { channelGroup } from "./channels";

describe("channel groups", () => {
  it("classifies the first touch", () => {
    const t = (o: Partial<Parameters<typeof channelGroup>[0]>) =>
      channelGroup({
        utmSource: null,
        utmMedium: null,
        referrerDomain: null,
        sourceName: null,
        ...o,
      });
    expect(t({})).toBe("unknown");
    expect(t({ sourceName: "web" })).toBe("unknown");
    expect(t({ sourceName: "shopify_draft_order" })).toBe("unknown");
    expect(t({ visitRecorded: true })).toBe("direct");
    expect(t({ visitRecorded: true, sourceName: "web" })).toBe("direct");
    expect(t({ utmMedium: "cpc", utmSource: "google" })).toBe("paid-search");
    expect(t({ utmMedium: "cpc", utmSource: "facebook" })).toBe("paid-social");
    expect(t({ utmMedium: "email" })).toBe("email");
    expect(t({ referrerDomain: "www.google.de" })).toBe("organic-search");
    expect(t({ referrerDomain: "l.instagram.com" })).toBe("organic-social");
    expect(t({ referrerDomain: "blog.example.com" })).toBe("referral");
    expect(t({ sourceName: "pos" })).toBe("point-of-sale");
  });
});
