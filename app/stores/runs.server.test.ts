import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropRecomputeSlices, readRecomputeSlice, writeRecomputeSlices, writeRecomputeSlicesAt } from "./runs.server";

// A recompute's feature slices are stored in parts of 1 MB and come back byte
// for byte, whatever their size, to the chunk jobs of the same read only.
describe("recompute slices", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("stores slices of any size (several parts, one byte, none) and reads each back as written", async () => {
    const slices = [randomBytes(2.5 * 1024 * 1024), randomBytes(1), new Uint8Array(0), randomBytes(1024 * 1024)];
    // An earlier try of the run (an earlier read) left slices: writing the run's slices again replaces them.
    const earlier = { runId: "slices-run", readAt: new Date("2026-12-05T10:00:00.123Z") };
    await writeRecomputeSlicesAt(client, earlier, 0, [randomBytes(10)]);
    await writeRecomputeSlicesAt(client, earlier, 7, [randomBytes(10)]);
    const run = { runId: "slices-run", readAt: new Date("2026-12-05T10:01:00.456Z") };
    const handedOver: number[] = [];
    await writeRecomputeSlices(client, run, slices, async (index) => {
      // Each slice is committed when it is handed over: another connection reads it.
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      try {
        expect(Buffer.compare((await readRecomputeSlice(other, run, index))!, Buffer.from(slices[index]))).toBe(0);
      } finally {
        await other.end();
      }
      handedOver.push(index);
    });
    expect(handedOver).toEqual([0, 1, 2, 3]);
    for (let k = 0; k < slices.length; k++) {
      expect(Buffer.compare((await readRecomputeSlice(client, run, k))!, Buffer.from(slices[k]))).toBe(0);
      // A chunk job of the earlier read finds no slice of its read (and reads its orders).
      expect(await readRecomputeSlice(client, earlier, k)).toBeNull();
    }
    expect(await readRecomputeSlice(client, run, 7)).toBeNull();
    const { rows } = await client.query(
      `SELECT index, count(*)::int AS parts FROM "RecomputeSlice" WHERE "runId" = 'slices-run' GROUP BY index ORDER BY index`,
    );
    expect(rows).toEqual([
      { index: 0, parts: 3 },
      { index: 1, parts: 1 },
      { index: 2, parts: 1 },
      { index: 3, parts: 1 },
    ]);

    // A second part of the run (a read thread's chunks) starts at its own index.
    await writeRecomputeSlicesAt(client, run, 4, [slices[3]]);
    expect(Buffer.compare((await readRecomputeSlice(client, run, 4))!, Buffer.from(slices[3]))).toBe(0);
    await dropRecomputeSlices(client, "slices-run");
    expect(await readRecomputeSlice(client, run, 0)).toBeNull();
  });
});
