import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceMembershipsInRange, type CustomerMemberships } from "./memberships.server";

// The comparison of a range's new memberships with the stored ones, on the
// real table: what is left alone, what is rewritten, what is recorded.
describe("replaceMembershipsInRange", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  const shopId = "memberships-compare";
  const day = (iso: string) => new Date(iso);
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  const replace = (next: CustomerMemberships[], at: Date) =>
    replaceMembershipsInRange(client, {
      shopId,
      fromId: "1",
      toId: "100",
      next,
      at,
      computedAt: at,
      recordTransitions: true,
    });

  async function stored() {
    const { rows } = await client.query<{
      id: string;
      segments: string[];
      reasons: string[];
      sinceDay: number[];
      tags: string[] | null;
    }>(
      `SELECT "customerId"::text AS id, segments, reasons, "sinceDay", tags FROM "SegmentMembership" WHERE "shopId" = $1 ORDER BY "customerId"`,
      [shopId],
    );
    return rows;
  }

  it("writes only what changed: keeps entry days, records entries and exits, and leaves an unchanged range alone", async () => {
    const first: CustomerMemberships[] = [
      { customerId: "1", segments: ["a/x", "b/y"], reasons: ["r1", "r2"], tags: ["t-x"] },
      { customerId: "2", segments: ["a/x"], reasons: ["r1"], tags: [] },
      { customerId: "3", segments: [], reasons: [], tags: [] },
    ];
    const created = await replace(first, day("2026-01-01T10:00:00Z"));
    expect(created).toMatchObject({ entered: 3, left: 0, customersChanged: 3, rowsWritten: 3 });

    // The same memberships again: nothing written.
    const again = await replace(first, day("2026-01-02T10:00:00Z"));
    expect(again).toEqual({ entered: 0, left: 0, reasonsUpdated: 0, customersChanged: 0, rowsWritten: 0 });

    // Customer 1 leaves b/y and enters c/z; customer 2's reason changes; customer 3 is gone.
    const next: CustomerMemberships[] = [
      { customerId: "1", segments: ["a/x", "c/z"], reasons: ["r1", "r3"], tags: ["t-x", "t-z"] },
      { customerId: "2", segments: ["a/x"], reasons: ["r1 now"], tags: [] },
    ];
    const changed = await replace(next, day("2026-01-05T10:00:00Z"));
    expect(changed).toEqual({ entered: 1, left: 1, reasonsUpdated: 1, customersChanged: 2, rowsWritten: 2 });
    const jan1 = Math.floor(day("2026-01-01T00:00:00Z").getTime() / 86_400_000);
    expect(await stored()).toEqual([
      { id: "1", segments: ["a/x", "c/z"], reasons: ["r1", "r3"], sinceDay: [jan1, jan1 + 4], tags: ["t-x", "t-z"] },
      { id: "2", segments: ["a/x"], reasons: ["r1 now"], sinceDay: [jan1], tags: [] },
    ]);
    const { rows: history } = await client.query<{ id: string; segment: string; change: string }>(
      `SELECT "customerId"::text AS id, segment, change FROM "SegmentTransition" WHERE "shopId" = $1 AND at > $2 ORDER BY "customerId", segment`,
      [shopId, day("2026-01-03T00:00:00Z")],
    );
    expect(history).toEqual([
      { id: "1", segment: "b/y", change: "left" },
      { id: "1", segment: "c/z", change: "entered" },
    ]);
  });

  it("rewrites a row whose tags were never computed (NULL), with nothing entered or left", async () => {
    await client.query(`UPDATE "SegmentMembership" SET tags = NULL WHERE "shopId" = $1 AND "customerId" = 2`, [shopId]);
    const result = await replace(
      [
        { customerId: "1", segments: ["a/x", "c/z"], reasons: ["r1", "r3"], tags: ["t-x", "t-z"] },
        { customerId: "2", segments: ["a/x"], reasons: ["r1 now"], tags: [] },
      ],
      day("2026-01-06T10:00:00Z"),
    );
    expect(result).toEqual({ entered: 0, left: 0, reasonsUpdated: 0, customersChanged: 0, rowsWritten: 1 });
    expect((await stored())[1].tags).toEqual([]);
  });
});
