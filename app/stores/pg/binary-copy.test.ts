import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BinaryCopyWriter, parseBinaryCopy, parseBinaryCopyMessages } from "./binary-copy";

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

/** Where a binary COPY payload's header and each of its rows end. */
function rowEnds(payload: Buffer): number[] {
  let at = 19 + payload.readInt32BE(15);
  const ends = [at];
  for (let fields = payload.readInt16BE(at); fields !== -1; fields = payload.readInt16BE(at)) {
    at += 2;
    for (let f = 0; f < fields; f++) {
      const n = payload.readInt32BE(at);
      at += 4 + Math.max(n, 0);
    }
    ends.push(at);
  }
  return ends;
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

  it("writes ids given as decimal strings, numbers or bigints, and instants, as the same int64s BigInt gives", () => {
    const id = fc.oneof(
      fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.constantFrom(0n, 9_999_999_999_999n, 10n ** 15n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)),
    );
    // Instants from 1900 to 2400: both sides of 1970 and of 2000, and beyond 2^53 microseconds after 2000.
    const at = fc.integer({ min: -2_208_988_800_000, max: 13_569_465_600_000 });
    fc.assert(
      fc.property(fc.array(fc.tuple(id, fc.boolean(), at), { maxLength: 40 }), (rows) => {
        const writer = new BinaryCopyWriter();
        for (const [value, padded, ms] of rows) {
          // A decimal string (with a leading zero sometimes), a safe number, or the bigint itself.
          const text = padded && value >= 0n ? `0${value}` : String(value);
          writer.row(3).int8(text).int8(value).timestamp(new Date(ms));
          if (Number.isSafeInteger(Number(value)))
            writer.row(3).int8(Number(value)).int8(value).timestamp(new Date(ms));
        }
        const parsed = parseBinaryCopy(Buffer.concat(writer.finish()));
        for (const fields of parsed) expect(fields[0]!.readBigInt64BE(0)).toBe(fields[1]!.readBigInt64BE(0));
        const expected = rows.flatMap(([value, , ms]) => {
          const row = [value, (BigInt(ms) - 946_684_800_000n) * 1000n];
          return Number.isSafeInteger(Number(value)) ? [row, row] : [row];
        });
        expect(parsed.map((f) => [f[1]!.readBigInt64BE(0), f[2]!.readBigInt64BE(0)])).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    expect(() => new BinaryCopyWriter().row(1).int8("12a")).toThrow(SyntaxError);
    expect(() => new BinaryCopyWriter().row(1).timestamp(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("parses a payload given as messages as it parses it whole, however the messages cut it", () => {
    const row = fc.record({
      id: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      name: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
      big: fc.integer({ min: 0, max: 3_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (rows, cuts, headerAlone) => {
          const writer = new BinaryCopyWriter();
          for (const r of rows) writer.row(3).int8(r.id).text(r.name).bytes(Buffer.alloc(r.big, 5));
          const payload = Buffer.concat(writer.finish());
          const whole = parseBinaryCopy(payload);
          // Row by row, as PostgreSQL sends them: the header with the first row (or alone), the trailer alone.
          const bounds = rowEnds(payload);
          if (!headerAlone) bounds.shift();
          const messagesAt = (points: number[]) => {
            const sorted = [...new Set(points)].filter((p) => p > 0 && p < payload.length).sort((a, b) => a - b);
            return [0, ...sorted].map((from, i) => payload.subarray(from, [...sorted, payload.length][i]));
          };
          // By rows (views, no copy), and cut anywhere (joined again).
          expect(parseBinaryCopyMessages(messagesAt(bounds))).toEqual(whole);
          expect(parseBinaryCopyMessages(messagesAt(cuts.map((c) => c % payload.length)))).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
    expect(() => parseBinaryCopyMessages([Buffer.from("not a copy")])).toThrow(/not a binary COPY payload/);
    // A payload that ends inside a row, whole or in messages, is named as such (not an out-of-range read).
    const writer = new BinaryCopyWriter();
    writer.row(2).int4(7).text("seven");
    const payload = Buffer.concat(writer.finish());
    const cut = payload.subarray(0, payload.length - 6);
    expect(() => parseBinaryCopy(cut)).toThrow(/cut short/);
    expect(() => parseBinaryCopyMessages([cut.subarray(0, 20), cut.subarray(20)])).toThrow(/cut short/);
  });

  it("refuses to be used after finish()", () => {
    const writer = new BinaryCopyWriter();
    writer.finish();
    expect(() => writer.row(1)).toThrow(/already finished/);
  });
});
