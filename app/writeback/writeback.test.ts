import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, segmentCatalog } from "../segmentation";
import * as customerTags from "../graphql/admin/customer-tags.server";
import * as metafieldDocs from "../graphql/admin/metafields.server";
import * as segmentDocs from "../graphql/admin/segments.server";
import {
  aliasesPerDocument,
  bulkTagLines,
  chunk,
  MAX_DOCUMENT_COST,
  shouldUseBulk,
  TAG_MUTATION_COST,
  tagAliases,
  tagMutationDocument,
} from "./batch";
import { bulkMutationFiles } from "../shopify/bulk-operations.server";
import { applyTagDiff, diffCustomerTags } from "./diff";
import {
  METAFIELD_SPECS,
  metafieldHash,
  packedMetafieldValues,
  unpackMetafieldValues,
  type MetafieldInput,
} from "./metafields";
import { buildTagMap, isUnderPrefix, kebabCase, segmentTag, segmentTagName, tagPrefixProblems } from "./tags";

/** The values the write-back sends for the input: the packed values a chunk queues, read back. */
const valuesOf = (input: MetafieldInput) => unpackMetafieldValues(packedMetafieldValues(input));

describe("tag naming", () => {
  it("kebab-cases family and handle under the prefix", () => {
    expect(segmentTag("seg:", "rfm/champions")).toBe("seg:rfm-champions");
    expect(segmentTag("seg:", "loyalty/at-risk")).toBe("seg:loyalty-at-risk");
    expect(segmentTag("Shop ", "custom/x", "VIP Gifting — Élite!")).toBe("Shop vip-gifting-elite");
    expect(kebabCase("  Big   Spenders 2025 ")).toBe("big-spenders-2025");
  });

  it("gives every built-in segment a distinct tag", () => {
    const catalog = segmentCatalog(DEFAULT_SETTINGS);
    const { tags, problems } = buildTagMap(
      "seg:",
      catalog.map((c) => ({ key: c.key })),
    );
    expect(problems).toEqual([]);
    expect(tags.size).toBe(catalog.length);
    for (const tag of tags.values()) expect(tag).toMatch(/^seg:[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("refuses names that collide after kebab-casing, case-insensitively", () => {
    const { tags, problems } = buildTagMap("seg:", [
      { key: "rfm/champions" },
      { key: "custom/vip", tagName: "RFM Champions" },
      { key: "custom/empty", tagName: "!!!" },
    ]);
    expect(tags.has("custom/vip")).toBe(false);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('"seg:rfm-champions", which segment rfm/champions already uses');
    expect(problems[1]).toContain("has no letters or digits");
  });

  it("refuses an empty prefix, a comma, spaces at the ends, and tags over 255 characters", () => {
    expect(tagPrefixProblems("", 20)[0]).toMatch(/cannot be empty/);
    expect(tagPrefixProblems("a,b", 20)[0]).toMatch(/comma/);
    expect(tagPrefixProblems(" seg", 20)[0]).toMatch(/space/);
    expect(tagPrefixProblems("x".repeat(250), 20)[0]).toMatch(/270 characters.*at most 255/);
    expect(tagPrefixProblems("seg:", 20)).toEqual([]);
  });

  it("recognizes the app's tags case-insensitively and never the bare prefix", () => {
    expect(isUnderPrefix("SEG:rfm-champions", "seg:")).toBe(true);
    expect(isUnderPrefix("seg:", "seg:")).toBe(false);
    expect(isUnderPrefix("vip", "seg:")).toBe(false);
    expect(segmentTagName("occasion/seasonal-winter")).toBe("occasion-seasonal-winter");
  });
});

describe("tag diff", () => {
  it("adds and removes only the difference under the app's prefixes", () => {
    const diff = diffCustomerTags({
      desired: ["seg:rfm-champions", "seg:usage-heavy"],
      current: ["seg:rfm-loyal", "seg:usage-heavy"],
      tagCount: 5,
      prefixes: ["seg:"],
    });
    expect(diff).toEqual({ add: ["seg:rfm-champions"], remove: ["seg:rfm-loyal"], capped: [] });
    expect(applyTagDiff(["seg:rfm-loyal", "seg:usage-heavy"], diff)).toEqual(["seg:rfm-champions", "seg:usage-heavy"]);
  });

  it("sends nothing when tags match, whatever their case", () => {
    const diff = diffCustomerTags({
      desired: ["seg:rfm-champions"],
      current: ["SEG:RFM-Champions"],
      tagCount: 1,
      prefixes: ["seg:"],
    });
    expect(diff).toEqual({ add: [], remove: [], capped: [] });
  });

  it("moves tags from a former prefix to the current one", () => {
    const diff = diffCustomerTags({
      desired: ["rs-rfm-champions"],
      current: ["seg:rfm-champions"],
      tagCount: 3,
      prefixes: ["rs-", "seg:"],
    });
    expect(diff).toEqual({ add: ["rs-rfm-champions"], remove: ["seg:rfm-champions"], capped: [] });
  });

  it("respects the 250-tag cap, counting the removals first, and reports what it held back", () => {
    const diff = diffCustomerTags({
      desired: ["seg:a", "seg:b", "seg:c"],
      current: ["seg:old"],
      tagCount: 249,
      prefixes: ["seg:"],
    });
    // 249 - 1 removed = 248: room for 2 of the 3.
    expect(diff).toEqual({ add: ["seg:a", "seg:b"], remove: ["seg:old"], capped: ["seg:c"] });
    const full = diffCustomerTags({ desired: ["seg:a"], current: [], tagCount: 250, prefixes: ["seg:"] });
    expect(full).toEqual({ add: [], remove: [], capped: ["seg:a"] });
  });
});

describe("batches and bulk files", () => {
  const schema = buildSchema(readFileSync("schemas/shopify-admin-2026-04.graphql", "utf8"));
  const valid = (query: string) => validate(schema, parse(query)).map((e) => e.message);

  it("keeps aliased documents within the 1,000-cost limit and half a small bucket", () => {
    expect(aliasesPerDocument(undefined) * TAG_MUTATION_COST).toBeLessThanOrEqual(MAX_DOCUMENT_COST);
    expect(aliasesPerDocument(2000) * TAG_MUTATION_COST).toBeLessThanOrEqual(MAX_DOCUMENT_COST);
    expect(aliasesPerDocument(100)).toBe(4);
    expect(aliasesPerDocument(10)).toBe(1);
  });

  it("builds one alias per non-empty side, valid against the Admin schema", () => {
    const aliases = tagAliases([
      { customerId: "1", diff: { add: ["seg:a"], remove: ["seg:b"], capped: [] } },
      { customerId: "2", diff: { add: [], remove: ["seg:c"], capped: [] } },
    ]);
    expect(aliases.map((a) => `${a.mutation}:${a.customerId}`)).toEqual(["tagsRemove:1", "tagsAdd:1", "tagsRemove:2"]);
    const { query, variables } = tagMutationDocument(aliases);
    expect(valid(query)).toEqual([]);
    expect(variables).toMatchObject({
      id0: "gid://shopify/Customer/1",
      tags0: ["seg:b"],
      tags1: ["seg:a"],
      id2: "gid://shopify/Customer/2",
    });
  });

  it("writes JSONL lines per side for bulk mutations, cut into files Shopify accepts", () => {
    const lines = bulkTagLines([
      { customerId: "1", diff: { add: ["seg:a"], remove: [], capped: [] } },
      { customerId: "2", diff: { add: ["seg:a"], remove: ["seg:b"], capped: [] } },
    ]);
    expect(lines.add).toHaveLength(2);
    expect(lines.remove).toEqual(['{"id":"gid://shopify/Customer/2","tags":["seg:b"]}']);
    // Each line and its newline counted in UTF-8 bytes; a file holds whole lines only.
    expect(bulkMutationFiles(["ab", "cd", "é", "x"], 6)).toEqual([
      { from: 0, to: 2 },
      { from: 2, to: 4 },
    ]);
    expect(bulkMutationFiles(["ab", "cd", "ef"], 3)).toEqual([
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
    ]);
    expect(bulkMutationFiles([], 3)).toEqual([]);
    expect(() => bulkMutationFiles(["ab", "abcd"], 4)).toThrow(
      "bulk mutation line 1 has 5 bytes, more than a file of at most 4 bytes holds",
    );
    expect(shouldUseBulk(2001)).toBe(true);
    expect(shouldUseBulk(2000)).toBe(false);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("has every write-back document valid against the Admin schema", () => {
    for (const doc of [
      ...Object.values(customerTags),
      ...Object.values(metafieldDocs),
      ...Object.values(segmentDocs),
    ]) {
      expect(valid(doc)).toEqual([]);
    }
  });
});

describe("metafield values", () => {
  it("formats predictions for their metafield types and hashes them stably", () => {
    const input = {
      handles: ["usage-heavy", "rfm-champions"],
      predictions: {
        pAlive: 0.91234,
        clv12mMinor: 123456,
        nextOrderDate: Date.UTC(2026, 0, 31, 23, 30),
        spendTier: "high",
      },
      currencyDecimals: 2,
      timeZone: "Europe/Berlin",
    };
    const values = valuesOf(input);
    expect(values).toEqual([
      { key: "handles", type: "list.single_line_text_field", value: '["rfm-champions","usage-heavy"]' },
      { key: "p_alive", type: "number_decimal", value: "0.912" },
      { key: "clv_12m", type: "number_decimal", value: "1234.56" },
      { key: "next_order_date", type: "date", value: "2026-02-01" },
      { key: "spend_tier", type: "single_line_text_field", value: "high" },
    ]);
    expect(metafieldHash(input)).toBe(metafieldHash({ ...input, handles: ["rfm-champions", "usage-heavy"] }));
    expect(metafieldHash(input)).not.toBe(metafieldHash({ ...input, predictions: null }));
  });

  it("hashes predictions at the tolerance: a drift within it keeps the hash, one past it or any segment change does not", () => {
    const hashOf = (
      p: { pAlive: number; clv12mMinor: number; nextOrderDate: number | null },
      handles = ["rfm-loyal"],
    ) => metafieldHash({ handles, predictions: { ...p, spendTier: "medium" }, currencyDecimals: 2, timeZone: "UTC" });
    const day = Date.UTC(2026, 0, 5); // a Monday; bands of 7 days from 1970-01-01 (a Thursday) start on Thursdays
    const base = { pAlive: 0.5, clv12mMinor: 10_000, nextOrderDate: day };
    const same = hashOf(base);
    // P(alive) bands of 0.02 from 0: [0.500, 0.520).
    expect(hashOf({ ...base, pAlive: 0.519 })).toBe(same);
    expect(hashOf({ ...base, pAlive: 0.52 })).not.toBe(same);
    expect(hashOf({ ...base, pAlive: 0.499 })).not.toBe(same);
    // 12-month value bands of 5%: 100.00 lies in [1.05^94, 1.05^95) = [98.1, 103.0).
    expect(hashOf({ ...base, clv12mMinor: 10_250 })).toBe(same);
    expect(hashOf({ ...base, clv12mMinor: 10_400 })).not.toBe(same);
    expect(hashOf({ ...base, clv12mMinor: 0 })).not.toBe(same);
    // Next order: Monday 2026-01-05 is in the band from Thursday 2026-01-01 to Wednesday 2026-01-07.
    expect(hashOf({ ...base, nextOrderDate: day + 2 * 86_400_000 })).toBe(same);
    expect(hashOf({ ...base, nextOrderDate: day + 3 * 86_400_000 })).not.toBe(same);
    expect(hashOf({ ...base, nextOrderDate: null })).not.toBe(same);
    // Segments are compared exactly.
    expect(hashOf(base, ["rfm-loyal", "usage-heavy"])).not.toBe(same);
    // Any order of the same handles, as a customer's memberships may list them: the same hash.
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 9 }), (handles) => {
        const sorted = [...handles].sort();
        expect(hashOf(base, handles)).toBe(hashOf(base, sorted));
        expect(hashOf(base, handles)).toBe(hashOf(base, sorted.reverse()));
      }),
    );
    // Values that drift a day at a time are written again at most once a band: a week, for the next order.
    const hashes = Array.from({ length: 28 }, (_, d) => hashOf({ ...base, nextOrderDate: day + d * 86_400_000 }));
    expect(new Set(hashes).size).toBe(5);
  });

  it("formats the next order date in each shop's own time zone, however many shops a process serves", () => {
    const at = Date.UTC(2026, 0, 31, 23, 30);
    const nextOrderDate = (timeZone: string, instant: number) =>
      valuesOf({
        handles: [],
        predictions: { pAlive: 0.5, clv12mMinor: 0, nextOrderDate: instant, spendTier: "low" },
        currencyDecimals: 2,
        timeZone,
      }).find((v) => v.key === "next_order_date")?.value;
    for (let round = 0; round < 2; round++) {
      expect(nextOrderDate("Europe/Berlin", at)).toBe("2026-02-01");
      expect(nextOrderDate("America/New_York", at)).toBe("2026-01-31");
      expect(nextOrderDate("UTC", at)).toBe("2026-01-31");
    }
    // Kathmandu is UTC+5:45: its midnight falls on a quarter past a UTC hour, on either side of which the date turns.
    const midnight = Date.UTC(2026, 0, 31, 18, 15);
    expect(nextOrderDate("Asia/Kathmandu", midnight - 1)).toBe("2026-01-31");
    expect(nextOrderDate("Asia/Kathmandu", midnight)).toBe("2026-02-01");
    expect(nextOrderDate("Asia/Kathmandu", midnight - 15 * 60_000)).toBe("2026-01-31");
  });

  it("packs queued values into one JSON object by key and unpacks them to the same list, types from the specs", () => {
    const input = {
      handles: ["rfm-champions", 'odd "name"'],
      predictions: { pAlive: 1, clv12mMinor: 7066, nextOrderDate: null, spendTier: "low" },
      currencyDecimals: 2,
      timeZone: "UTC",
    };
    const values = valuesOf(input);
    const packed = packedMetafieldValues(input);
    expect(JSON.parse(packed)).toEqual({
      handles: '["odd \\"name\\"","rfm-champions"]',
      p_alive: "1.000",
      clv_12m: "70.66",
      spend_tier: "low",
    });
    expect(unpackMetafieldValues(packed)).toEqual(values);
    expect(unpackMetafieldValues("{}")).toEqual([]);
    // Any input, any handle text: JSON with each value formatted for its type, read back in the specs' order.
    const date = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(
        fc.record({
          handles: fc.array(fc.string(), { maxLength: 6 }),
          predictions: fc.option(
            fc.record({
              pAlive: fc.double({ min: 0, max: 1, noNaN: true }),
              clv12mMinor: fc.integer({ min: 0, max: 10 ** 12 }),
              nextOrderDate: fc.option(date),
              spendTier: fc.constantFrom("high", "medium", "low"),
            }),
          ),
          currencyDecimals: fc.constantFrom(0, 2, 3),
          timeZone: fc.constantFrom("UTC", "Asia/Kathmandu", "America/New_York"),
        }),
        (generated) => {
          const packed = JSON.parse(packedMetafieldValues(generated)) as Record<string, string>;
          const p = generated.predictions;
          const expected: Record<string, string> = { handles: JSON.stringify([...generated.handles].sort()) };
          if (p) {
            expected.p_alive = p.pAlive.toFixed(3);
            expected.clv_12m = (p.clv12mMinor / 10 ** generated.currencyDecimals).toFixed(generated.currencyDecimals);
            if (p.nextOrderDate !== null) expected.next_order_date = expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/);
            expected.spend_tier = p.spendTier;
          }
          expect(packed).toEqual(expected);
          // In the specs' order, each value with its spec's type.
          const keys = METAFIELD_SPECS.map((spec) => spec.key).filter((key) => key in expected);
          expect(valuesOf(generated)).toEqual(
            keys.map((key) => ({
              key,
              type: METAFIELD_SPECS.find((spec) => spec.key === key)!.type,
              value: packed[key],
            })),
          );
        },
      ),
    );
    // Queued by a worker of the release before, during a deploy: read as it was written.
    expect(unpackMetafieldValues(JSON.stringify(values))).toEqual(values);
    expect(() => unpackMetafieldValues('{"colour":"red"}')).toThrow(
      'queued metafield values name an unknown key "colour"',
    );
  });
});
