import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropRecomputeSlices, readRecomputeSlice, writeRecomputeSlices, writeRecomputeSlicesAt } from "./runs.server";

// A recompute's feature slices are stored in parts of 1 MB and come back byte
// for byte, whatever their size.
describe("recompute slices", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("stores slices of any size (several parts, one byte, none) and reads each back as written", async () => {
    const slices = [randomBytes(2.5 * 1024 * 1024), randomBytes(1), new Uint8Array(0), randomBytes(1024 * 1024)];
    // An earlier try of the run left a slice: writing the run's slices again replaces it.
    await writeRecomputeSlicesAt(client, "slices-run", 7, [randomBytes(10)]);
    await writeRecomputeSlices(client, "slices-run", slices);
    for (let k = 0; k < slices.length; k++) {
      expect(Buffer.compare((await readRecomputeSlice(client, "slices-run", k))!, Buffer.from(slices[k]))).toBe(0);
    }
    expect(await readRecomputeSlice(client, "slices-run", 7)).toBeNull();
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
    await writeRecomputeSlicesAt(client, "slices-run", 4, [slices[3]]);
    expect(Buffer.compare((await readRecomputeSlice(client, "slices-run", 4))!, Buffer.from(slices[3]))).toBe(0);
    await dropRecomputeSlices(client, "slices-run");
    expect(await readRecomputeSlice(client, "slices-run", 0)).toBeNull();
  });
});
