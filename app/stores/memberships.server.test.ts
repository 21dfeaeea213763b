import { spawnSync } from "node:child_process";
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
      asOf: at,
      recordTransitions: true,
    });

  async function stored() {
    const { rows } = await client.query<{
      id: string;
      segments: string[];
      sinceDay: number[];
      rfmScores: number | null;
      asOf: Date;
    }>(
      `SELECT "customerId"::text AS id, segments, "sinceDay", "rfmScores", "asOf" AT TIME ZONE 'UTC' AS "asOf"
       FROM "SegmentMembership" WHERE "shopId" = $1 ORDER BY "customerId"`,
      [shopId],
    );
    return rows;
  }

  it("writes only what changed: keeps entry days, records entries and exits, and leaves an unchanged range alone", async () => {
    const first: CustomerMemberships[] = [
      { customerId: "1", segments: ["a/x", "b/y"], reasons: () => ["r1", "r2"], rfmScores: 543 },
      { customerId: "2", segments: ["a/x"], reasons: () => ["r1"], rfmScores: 111 },
      { customerId: "3", segments: [], reasons: () => [], rfmScores: null },
    ];
    const created = await replace(first, day("2026-01-01T10:00:00Z"));
    expect(created).toMatchObject({ entered: 3, left: 0, customersChanged: 3, rowsWritten: 3 });

    // The same memberships again: nothing written.
    const again = await replace(first, day("2026-01-02T10:00:00Z"));
    expect(again).toEqual({ entered: 0, left: 0, customersChanged: 0, rowsWritten: 0 });

    // Customer 1 leaves b/y and enters c/z; customer 2's reason alone changes (the reasons are not stored, ADR 060:
    // its row stays as it is, as of the 1st); customer 3 is gone.
    const next: CustomerMemberships[] = [
      { customerId: "1", segments: ["a/x", "c/z"], reasons: () => ["r1", "r3"], rfmScores: 543 },
      { customerId: "2", segments: ["a/x"], reasons: () => ["r1 now"], rfmScores: 111 },
    ];
    const changed = await replace(next, day("2026-01-05T10:00:00Z"));
    expect(changed).toEqual({ entered: 1, left: 1, customersChanged: 2, rowsWritten: 1 });
    const jan1 = Math.floor(day("2026-01-01T00:00:00Z").getTime() / 86_400_000);
    expect(await stored()).toEqual([
      {
        id: "1",
        segments: ["a/x", "c/z"],
        sinceDay: [jan1, jan1 + 4],
        rfmScores: 543,
        asOf: day("2026-01-05T10:00:00Z"),
      },
      { id: "2", segments: ["a/x"], sinceDay: [jan1], rfmScores: 111, asOf: day("2026-01-01T10:00:00Z") },
    ]);
    const { rows: history } = await client.query<{ id: string; segment: string; change: string }>(
      `SELECT "customerId"::text AS id, segment, change FROM "SegmentTransition" WHERE "shopId" = $1 AND at > $2 ORDER BY "customerId", segment`,
      [shopId, day("2026-01-03T00:00:00Z")],
    );
    expect(history).toEqual([
      { id: "1", segment: "b/y", change: "left" },
      { id: "1", segment: "c/z", change: "entered" },
    ]);

    // Scores alone that differ from the stored ones are written too (the grid reads them).
    const rescored = await replace(
      [next[0], { ...next[1], rfmScores: null }, { ...next[1], customerId: "3", rfmScores: 321 }],
      day("2026-01-06T10:00:00Z"),
    );
    expect(rescored).toMatchObject({ entered: 1, customersChanged: 1, rowsWritten: 2 });
    expect((await stored()).map((r) => [r.id, r.rfmScores, r.asOf.toISOString().slice(0, 10)])).toEqual([
      ["1", 543, "2026-01-05"],
      ["2", null, "2026-01-06"],
      ["3", 321, "2026-01-06"],
    ]);
  });

  it("keeps a row computed after these orders were read, and brings back no row deleted meanwhile", async () => {
    const jan10 = day("2026-01-10T10:00:00Z");
    const rows: CustomerMemberships[] = ["11", "12", "13"].map((customerId) => ({
      customerId,
      segments: ["a/x"],
      reasons: () => ["as of the 10th"],
      rfmScores: null,
    }));
    await replace(rows, jan10);
    // Customer 11 was re-segmented on the 20th, after the orders below were read (on the 15th).
    await client.query(
      `UPDATE "SegmentMembership" SET segments = '{a/x,b/y}', "sinceDay" = "sinceDay" || "sinceDay"[1], "computedAt" = $2
       WHERE "shopId" = $1 AND "customerId" = 11`,
      [shopId, day("2026-01-20T10:00:00Z")],
    );
    // Customer 13's data is deleted (a GDPR redaction) while the range is computed:
    // by another connection, after the stored rows were loaded for the comparison.
    function* computed(): Generator<CustomerMemberships> {
      const deletion = spawnSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `import pg from "pg";
           const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
           await c.connect();
           await c.query('DELETE FROM "SegmentMembership" WHERE "shopId" = $1 AND "customerId" = 13', [${JSON.stringify(shopId)}]);
           await c.end();`,
        ],
        { encoding: "utf8" },
      );
      if (deletion.status !== 0) throw new Error(deletion.stderr);
      for (const row of rows) yield { ...row, segments: ["c/z"], reasons: () => ["as of the 15th"] };
    }
    const result = await replaceMembershipsInRange(client, {
      shopId,
      fromId: "11",
      toId: "13",
      next: computed(),
      at: day("2026-01-15T10:00:00Z"),
      computedAt: day("2026-01-15T10:00:00Z"),
      asOf: day("2026-01-15T10:00:00Z"),
      recordTransitions: true,
    });
    expect(result.rowsWritten).toBe(1);
    expect((await stored()).filter((r) => Number(r.id) >= 11)).toEqual([
      { id: "11", segments: ["a/x", "b/y"], sinceDay: expect.any(Array), rfmScores: null, asOf: jan10 },
      { id: "12", segments: ["c/z"], sinceDay: expect.any(Array), rfmScores: null, asOf: day("2026-01-15T10:00:00Z") },
    ]);
  });
});

// A range with no stored row (a shop's first computation) is streamed to one
// COPY while it is computed: every row or none.
describe("replaceMembershipsInRange on a range with no stored row", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  const shopId = "memberships-fresh";
  const at = new Date("2026-02-01T10:00:00Z");
  const today = Math.floor(at.getTime() / 86_400_000);
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  // 2,500 customers: several streamed batches. Customer i is in i % 4 segments.
  const customers = (from: number, n: number): CustomerMemberships[] =>
    Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const segments = ["a/x", "b/y", "c/z"].slice(0, i % 4);
      return {
        customerId: String(i),
        segments,
        reasons: () => segments.map((s) => `${s} for ${i}, ≥ ${i % 7}`),
        rfmScores: segments.length ? 111 + (i % 5) : null,
      };
    });
  const replace = (fromId: string, toId: string, next: Iterable<CustomerMemberships>, recordTransitions: boolean) =>
    replaceMembershipsInRange(client, { shopId, fromId, toId, next, at, computedAt: at, asOf: at, recordTransitions });

  it("stores every customer's row as given, and its entries as transitions when asked", async () => {
    const next = customers(1, 2500);
    const result = await replace("1", "2500", next, true);
    const entered = next.reduce((n, c) => n + c.segments.length, 0);
    expect(result).toEqual({ entered, left: 0, customersChanged: 2500, rowsWritten: 2500 });
    const { rows } = await client.query(
      `SELECT m."customerId"::text AS "customerId", segments, "rfmScores", "sinceDay", "asOf" AT TIME ZONE 'UTC' AS "asOf"
       FROM "SegmentMembership" m WHERE "shopId" = $1 ORDER BY m."customerId"`,
      [shopId],
    );
    expect(rows).toEqual(
      next.map(({ reasons: _reasons, ...c }) => ({ ...c, sinceDay: c.segments.map(() => today), asOf: at })),
    );
    const { rows: history } = await client.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE change = 'entered' AND reason LIKE '% for %')::int AS entries FROM "SegmentTransition" WHERE "shopId" = $1`,
      [shopId],
    );
    expect(history[0]).toEqual({ n: entered, entries: entered });

    // Without transitions (a first computation), none are recorded.
    await replace("3001", "3100", customers(3001, 100), false);
    const { rows: after } = await client.query(
      `SELECT count(*)::int AS n FROM "SegmentTransition" WHERE "shopId" = $1`,
      [shopId],
    );
    expect(after[0].n).toBe(entered);
  });

  it("writes none of the rows when one of them fails (a row written meanwhile: the key is taken)", async () => {
    // Customer 4999's row exists, but the range read is 4001-4998 (as when a
    // re-segmentation commits the row after the range was read): the streamed
    // COPY fails on the key after 998 rows and the whole range rolls back.
    await client.query(
      `INSERT INTO "SegmentMembership" ("shopId", "customerId", segments, "sinceDay", "computedAt") VALUES ($1, 4999, '{}', '{}', now())`,
      [shopId],
    );
    await expect(replace("4001", "4998", customers(4001, 1999), false)).rejects.toThrow(/duplicate key/);
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM "SegmentMembership" WHERE "shopId" = $1 AND "customerId" BETWEEN 4001 AND 5999`,
      [shopId],
    );
    expect(rows[0].n).toBe(1);
  });
});
