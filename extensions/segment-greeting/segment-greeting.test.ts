// The app block and the app embed, rendered with liquidjs on sample customers:
// the right message for a customer in a chosen segment (by the app's tag or
// by its metafield), nothing for anyone else.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { blockSchema, createEngine, EXTENSION_DIR, renderBlock, type ShopifyCustomer } from "./liquid-harness";

const BLOCKS = ["segment-greeting", "segment-greeting-banner"] as const;

function customer(tags: string[], handles?: string[]): ShopifyCustomer {
  return {
    id: 7208420950000,
    first_name: "Ada",
    tags,
    metafields: handles === undefined ? {} : { "$app:segments": { handles: { value: handles } } },
  };
}

/**
 * The HTML with the whitespace Liquid leaves between attributes and tags
 * collapsed. liquidjs's `escape` writes a double quote as &#34; where Shopify's
 * (Ruby's CGI.escapeHTML) writes &quot;: the same character, spelled as Shopify does.
 */
function compact(html: string): string {
  return html
    .replace(/\s+/g, " ")
    .replace(/\s*>\s*/g, ">")
    .replace(/\s*</g, "<")
    .replace(/&#34;/g, "&quot;")
    .trim();
}

const DEFAULT_MESSAGE = "Welcome back! Thank you for being one of our regular customers.";

describe("segment greeting (app block)", () => {
  it("greets a customer carrying the app's tag for a chosen segment, with the block's message and link", async () => {
    const html = await renderBlock("segment-greeting", customer(["VIP", "seg:rfm-champions"]), {
      segments: "rfm-champions, rfm-loyal",
      message: "Welcome back: 15% off your next order",
      link: "/collections/new-arrivals",
      link_label: "Shop new arrivals",
    });
    expect(compact(html)).toBe(
      '<aside class="segment-greeting segment-greeting--block" aria-label="A message for you">' +
        '<p class="segment-greeting__message">Welcome back: 15% off your next order</p>' +
        '<a class="segment-greeting__link" href="/collections/new-arrivals">Shop new arrivals</a>' +
        "</aside>",
    );
  });

  it("compares tags case-insensitively, as Shopify does, and honours a custom prefix", async () => {
    const html = await renderBlock("segment-greeting", customer(["Loyalty:RFM-Loyal"]), {
      segments: "rfm-champions,RFM-loyal",
      tag_prefix: "loyalty:",
    });
    expect(compact(html)).toBe(
      '<aside class="segment-greeting segment-greeting--block" aria-label="A message for you">' +
        `<p class="segment-greeting__message">${DEFAULT_MESSAGE}</p>` +
        "</aside>",
    );
  });

  it("greets a customer listed in the app's segments metafield even without the tag", async () => {
    const html = await renderBlock("segment-greeting", customer([], ["usage-heavy", "rfm-champions"]), {
      message: "Welcome back",
    });
    expect(compact(html)).toContain('<p class="segment-greeting__message">Welcome back</p>');
  });

  it("escapes the merchant's text (t output is escaped by the filter itself)", async () => {
    const html = await renderBlock("segment-greeting", customer(["seg:rfm-champions"]), {
      message: '<img src=x onerror="alert(1)"> 15% off & more',
      link: "/pages/offer?a=1&b=2",
    });
    expect(compact(html)).toBe(
      '<aside class="segment-greeting segment-greeting--block" aria-label="A message for you">' +
        '<p class="segment-greeting__message">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; 15% off &amp; more</p>' +
        '<a class="segment-greeting__link" href="/pages/offer?a=1&amp;b=2">See what&#39;s new</a>' +
        "</aside>",
    );
  });

  it.each([
    ["a guest", null],
    ["a customer in another segment (tag)", customer(["seg:rfm-at-risk", "VIP"])],
    ["a customer in another segment (metafield)", customer([], ["rfm-at-risk"])],
    ["a customer with the handle under another prefix", customer(["vip:rfm-champions"])],
    ["a customer whose tag only starts like the segment's", customer(["seg:rfm-champions-2024"])],
    ["a customer with the bare handle as a tag", customer(["rfm-champions"])],
    ["a customer without tags or metafield", customer([])],
  ])("renders nothing for %s", async (_name, who) => {
    expect(await renderBlock("segment-greeting", who, { message: "Welcome back: 15% off" })).toBe("");
  });

  it("renders nothing for anyone when no segment is chosen", async () => {
    const member = customer(["seg:rfm-champions"], ["rfm-champions"]);
    expect(await renderBlock("segment-greeting", member, { segments: " , " })).toBe("");
    expect(await renderBlock("segment-greeting", member, { segments: "" })).toBe("");
  });
});

describe("segment greeting banner (app embed)", () => {
  it("greets a member across the page with the banner variant", async () => {
    const html = await renderBlock("segment-greeting-banner", customer(["seg:rfm-loyal"]), {
      segments: "rfm-champions, rfm-loyal",
      message: "Free shipping this week for our loyal customers",
    });
    expect(compact(html)).toBe(
      '<aside class="segment-greeting segment-greeting--banner" aria-label="A message for you">' +
        '<p class="segment-greeting__message">Free shipping this week for our loyal customers</p>' +
        "</aside>",
    );
  });

  it("renders nothing for a guest or a customer outside the segments", async () => {
    expect(await renderBlock("segment-greeting-banner", null)).toBe("");
    expect(await renderBlock("segment-greeting-banner", customer(["seg:rfm-loyal"]))).toBe("");
  });
});

describe("in the theme editor", () => {
  it("previews the greeting for the merchant, with a note naming the segments", async () => {
    const html = await renderBlock(
      "segment-greeting",
      null,
      { segments: "rfm-champions, rfm-loyal", message: "Welcome back: 15% off" },
      { designMode: true },
    );
    expect(compact(html)).toBe(
      '<aside class="segment-greeting segment-greeting--block" aria-label="A message for you">' +
        '<p class="segment-greeting__message">Welcome back: 15% off</p>' +
        '<p class="segment-greeting__preview">Theme editor preview: only logged-in customers in these segments see this message: rfm-champions, rfm-loyal.</p>' +
        "</aside>",
    );
  });

  it("escapes the segments in the note", async () => {
    const html = await renderBlock("segment-greeting-banner", null, { segments: "<b>vip</b>" }, { designMode: true });
    expect(html).toContain("these segments see this message: &lt;b&gt;vip&lt;/b&gt;.");
  });
});

describe("block schemas", () => {
  const schemaLocale = JSON.parse(
    fs.readFileSync(path.join(EXTENSION_DIR, "locales", "en.default.schema.json"), "utf8"),
  );
  const translate = (value: string) =>
    value.startsWith("t:")
      ? value
          .slice(2)
          .split(".")
          .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], schemaLocale)
      : value;

  it.each([
    ["segment-greeting", "section"],
    ["segment-greeting-banner", "body"],
  ])("%s is an app %s block with the same per-block settings", (block, target) => {
    const schema = blockSchema(block);
    expect(schema.target).toBe(target);
    expect(schema.settings.map((setting) => [setting.id, setting.type])).toEqual([
      ["segments", "text"],
      ["message", "text"],
      ["link", "url"],
      ["link_label", "text"],
      ["tag_prefix", "text"],
    ]);
    // Defaults match the app: its default tag prefix and a segment it ships.
    expect(schema.settings.find((setting) => setting.id === "tag_prefix")?.default).toBe("seg:");
    expect(fs.existsSync(path.join(EXTENSION_DIR, "assets", schema.stylesheet ?? ""))).toBe(true);
    // Every label is translated, and the block name fits the theme editor's 25 characters.
    for (const text of [schema.name, ...schema.settings.flatMap((s) => [s.label, s.info ?? "x"])]) {
      expect(typeof translate(text), text).toBe("string");
    }
    expect((translate(schema.name) as string).length).toBeLessThanOrEqual(25);
  });
});

describe("the Liquid harness stays faithful", () => {
  it("fails on a Shopify filter it does not implement, instead of ignoring it", async () => {
    await expect(createEngine().parseAndRender("{{ 'a.css' | asset_url }}")).rejects.toThrow(/asset_url/);
  });

  it("fails on a missing translation, and never renders the schema", async () => {
    await expect(createEngine().parseAndRender("{{ 'segment_greeting.nope' | t }}")).rejects.toThrow(
      "translation missing: en.segment_greeting.nope",
    );
    const html = await createEngine().parseAndRender('a{% schema %}{ "name": "x" }{% endschema %}b');
    expect(html).toBe("ab");
  });

  it("renders every block of the extension", () => {
    const files = fs.readdirSync(path.join(EXTENSION_DIR, "blocks")).map((file) => path.basename(file, ".liquid"));
    expect(files.sort()).toEqual([...BLOCKS].sort());
  });
});
