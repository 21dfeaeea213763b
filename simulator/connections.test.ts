import { describe, expect, it } from "vitest";
import { identitySequence, paginate, parseSearchQuery, searchPredicate, sortedSequence } from "./connections";

describe("search query parser", () => {
  it("reads the terms the app sends", () => {
    expect(parseSearchQuery("updated_at:>='2024-06-01T00:00:00Z'")).toEqual([
      {
        negated: false,
        field: "updated_at",
        op: ">=",
        value: "2024-06-01T00:00:00Z",
        quoted: true,
      },
    ]);
    expect(parseSearchQuery('created_at:<2025-01-01 AND tag:"big spender" -tag:vip id:>10')).toEqual([
      { negated: false, field: "created_at", op: "<", value: "2025-01-01", quoted: false },
      { negated: false, field: "tag", op: "=", value: "big spender", quoted: true },
      { negated: true, field: "tag", op: "=", value: "vip", quoted: false },
      { negated: false, field: "id", op: ">", value: "10", quoted: false },
    ]);
    // Free text (field "default"), words or a quoted phrase, and the quoted email Shopify asks for.
    expect(parseSearchQuery('Bob "Jane Doe" email:"bo@example.com"')).toEqual([
      { negated: false, field: "default", op: "=", value: "Bob", quoted: false },
      { negated: false, field: "default", op: "=", value: "Jane Doe", quoted: true },
      { negated: false, field: "email", op: "=", value: "bo@example.com", quoted: true },
    ]);
    expect(parseSearchQuery("  ")).toEqual([]);
  });

  it("refuses what it cannot read instead of guessing", () => {
    expect(() => parseSearchQuery("tag:a OR tag:b")).toThrow(/does not support OR/);
    expect(() => parseSearchQuery('tag:"unclosed')).toThrow(/could not parse/);
    expect(() => searchPredicate(parseSearchQuery("just words"), {}, "orders")).toThrow(
      /does not support free-text search on orders: just/,
    );
    expect(() => searchPredicate(parseSearchQuery("email:x@y.z"), {}, "customers")).toThrow(
      /search field 'email' on customers/,
    );
  });

  it("compares dates, ids and tags", () => {
    const rows = [
      { at: Date.parse("2024-01-01T00:00:00Z") / 1000, id: 5, tags: ["VIP"] },
      { at: Date.parse("2024-07-01T00:00:00Z") / 1000, id: 15, tags: [] },
    ];
    const fields = {
      updated_at: (r: number) => rows[r].at,
      id: (r: number) => rows[r].id,
      tag: (r: number) => rows[r].tags,
    };
    const match = (q: string) => [0, 1].filter(searchPredicate(parseSearchQuery(q), fields, "customers"));
    expect(match("updated_at:>='2024-06-01T00:00:00Z'")).toEqual([1]);
    expect(match("updated_at:<=2024-01-01T00:00:00Z")).toEqual([0]);
    expect(match("id:>10")).toEqual([1]);
    expect(match("id:>gid://shopify/Customer/4")).toEqual([0, 1]);
    expect(match("tag:vip")).toEqual([0]);
    expect(match("-tag:vip")).toEqual([1]);
  });
});

describe("pagination", () => {
  const view = (row: number) => row;
  it("pages forward and backward with cursors", () => {
    const seq = identitySequence(10);
    const even = (row: number) => row % 2 === 0;
    const first = paginate(seq, even, { first: 2 }, view);
    expect(first.nodes).toEqual([0, 2]);
    expect(first.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
    const second = paginate(seq, even, { first: 2, after: first.pageInfo.endCursor }, view);
    expect(second.nodes).toEqual([4, 6]);
    const last = paginate(seq, even, { last: 2 }, view);
    expect(last.nodes).toEqual([6, 8]);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    const before = paginate(seq, even, { last: 2, before: last.pageInfo.startCursor }, view);
    expect(before.nodes).toEqual([2, 4]);
    expect(paginate(seq, even, { first: 3, reverse: true }, view).nodes).toEqual([8, 6, 4]);
    expect(() => paginate(seq, even, { first: 1, after: "garbage" }, view)).toThrow(/Invalid cursor/);
  });

  it("orders by a key with row order breaking ties", () => {
    const keys = [30, 10, 20, 10];
    const seq = sortedSequence(4, (row) => keys[row]);
    expect([0, 1, 2, 3].map((p) => seq.at(p))).toEqual([1, 3, 2, 0]);
    expect(seq.positionOf(0)).toBe(3);
  });
});
