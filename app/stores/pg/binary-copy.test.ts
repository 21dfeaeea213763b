import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryCopyWriter, parseBinaryCopy } from "./binary-copy";

// The server's reading of these bytes is tested against PostgreSQL in
// app/stores/pg/copy.server.test.ts; here, that every value (ASCII or
// not, empty, large) lands in the right place, whatever the chunking.
function textArrayOf(field: Buffer): string[] {
  const dims = field.readInt32BE(0);
  expect(field.readInt32BE(8)).toBe(25);
  if (dims === 0) return [];
  const n = field.readInt32BE(12);
  const out: string[] = [];
  let at = 20;
  for (let i = 0; i < n; i++) {
    const len = field.readInt32BE(at);
    out.push(field.toString("utf8", at + 4, at + 4 + len));
    at += 4 + len;
  }
  expect(at).toBe(field.length);
  return out;
}

function int4ArrayOf(field: Buffer): number[] {
  if (field.readInt32BE(0) === 0) return [];
  const n = field.readInt32BE(12);
  return Array.from({ length: n }, (_, i) => field.readInt32BE(20 + i * 8 + 4));
}

describe("BinaryCopyWriter", () => {
  it("writes rows that parse back to the same values", () => {
    const row = fc.record({
      id: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      name: fc.option(fc.string({ unit: "grapheme", maxLength: 40 }), { nil: null }),
      tags: fc.option(
        fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 30 })), {
          maxLength: 12,
        }),
        { nil: null },
      ),
      days: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 8 }),
      big: fc.integer({ min: 0, max: 70_000 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const writer = new BinaryCopyWriter();
        for (const r of rows)
          writer.row(5).int8(r.id).text(r.name).textArray(r.tags).int4Array(r.days).bytes(Buffer.alloc(r.big, 7));
        const parsed = parseBinaryCopy(Buffer.concat(writer.finish()));
        expect(parsed.length).toBe(rows.length);
        parsed.forEach((fields, i) => {
          const r = rows[i];
          expect(fields[0]!.readBigInt64BE(0)).toBe(r.id);
          expect(fields[1] === null ? null : fields[1].toString("utf8")).toBe(r.name);
          expect(fields[2] === null ? null : textArrayOf(fields[2])).toEqual(r.tags);
          expect(int4ArrayOf(fields[3]!)).toEqual(r.days);
          expect(fields[4]!.length).toBe(r.big);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("refuses to be used after finish()", () => {
    const writer = new BinaryCopyWriter();
    writer.finish();
    expect(() => writer.row(1)).toThrow(/already finished/);
  });
});
