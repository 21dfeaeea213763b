import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinaryCopyWriter } from "./binary-copy";
import {
  bigintArrayLiteral,
  copyBool,
  copyFrom,
  copyFromBinary,
  copyInt,
  copyString,
  copyText,
  copyTo,
  copyToBinary,
  splitCopyRow,
  copyToSpans,
  CopyRowSplitter,
} from "./copy.server";

/** 100,000 rows of varying width, and a few of 200 KB (longer than one of the stream's chunks). */
const STRADDLING_ROWS = `SELECT i, CASE WHEN i % 25000 = 0 THEN repeat('x', 200000) ELSE repeat('ab', i % 97) END,
  E'tab\\there\\nnew line' FROM generate_series(1, 100000) i ORDER BY i`;

// COPY in and out against the real server: the values that need escaping
// (array quotes, backslashes, tabs, newlines, NULL) survive the round trip.
describe("COPY helpers", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE TEMP TABLE copy_check (id bigint, name text, tags text[], flag boolean, n int)`);
  });
  afterAll(() => client.end());

  const rows: Array<[string, string | null, string[], boolean | null, number | null]> = [
    ["1", "plain", ["a", "b c", "d,e"], true, 42],
    ["2", 'quote " and back\\slash', ['say "hi"', "back\\slash", "{braces}"], false, -7],
    ["3", "tab\there\nnewline\rreturn", ["tab\tin", "new\nline", ""], null, null],
    ["4", null, [], true, 0],
  ];

  it("writes with copyFrom/copyText and reads back exactly with SQL and with copyTo", async () => {
    const lines = rows.map((r) => `${r.map((v) => copyText(v)).join("\t")}\n`);
    expect(await copyFrom(client, `COPY copy_check FROM STDIN`, lines)).toBe(rows.length);

    const { rows: back } = await client.query(`SELECT id::text, name, tags, flag, n FROM copy_check ORDER BY id`);
    expect(back.map((r) => [r.id, r.name, r.tags, r.flag, r.n])).toEqual(rows);

    const s = new Int32Array(6);
    const e = new Int32Array(6);
    const read: Array<[string, string | null, boolean | null, number | null]> = [];
    const count = await copyTo(
      client,
      `COPY (SELECT id, name, flag, n FROM copy_check ORDER BY id) TO STDOUT`,
      (row) => {
        expect(splitCopyRow(row, s, e)).toBe(4);
        read.push([
          copyString(row, s[0], e[0])!,
          copyString(row, s[1], e[1]),
          copyBool(row, s[2], e[2]),
          copyInt(row, s[3], e[3]),
        ]);
      },
    );
    expect(count).toBe(rows.length);
    expect(read).toEqual(rows.map(([id, name, , flag, n]) => [id, name, flag, n]));
  });

  it("rejects with the server's error and leaves the connection usable", async () => {
    await expect(copyTo(client, `COPY (SELECT 1 / 0) TO STDOUT`, () => undefined)).rejects.toThrow(/division by zero/);
    await expect(copyFrom(client, `COPY copy_check FROM STDIN`, ["not-a-number\t\\N\t{}\t\\N\t\\N\n"])).rejects.toThrow(
      /invalid input syntax/,
    );
    expect((await client.query(`SELECT 1 AS ok`)).rows[0].ok).toBe(1);
  });

  it("hands copyTo's callback one whole row at a time, also rows that straddle the stream's chunks", async () => {
    const s = new Int32Array(4);
    const e = new Int32Array(4);
    let next = 1;
    let wide = 0;
    const count = await copyTo(client, `COPY (${STRADDLING_ROWS}) TO STDOUT`, (row) => {
      expect(splitCopyRow(row, s, e)).toBe(3);
      expect(copyInt(row, s[0], e[0])).toBe(next);
      const text = copyString(row, s[1], e[1])!;
      if (next % 25000 === 0) {
        expect(text.length).toBe(200_000);
        wide++;
      } else expect(text).toBe("ab".repeat(next % 97));
      expect(copyString(row, s[2], e[2])).toBe("tab\there\nnew line");
      next++;
    });
    expect(count).toBe(100_000);
    expect(next).toBe(100_001);
    expect(wide).toBe(4);
  });

  it("rejects with an error thrown by the callback, after reading the rest, and leaves the connection usable", async () => {
    let calls = 0;
    await expect(
      copyTo(client, `COPY (SELECT i FROM generate_series(1, 50000) i) TO STDOUT`, () => {
        if (++calls === 10) throw new Error("stop at ten");
      }),
    ).rejects.toThrow("stop at ten");
    expect(calls).toBe(10);
    expect((await client.query(`SELECT 2 AS ok`)).rows[0].ok).toBe(2);
  });

  // The large COPY FROM payload is still draining when the server's error comes:
  // before copyFromQuery guarded it, pg-copy-streams threw an uncaught TypeError
  // from its 'drain' listener here (vitest reports it as an unhandled error).
  it("does not hang when the server fails midway (COPY TO) or early in a large payload (COPY FROM)", async () => {
    let read = 0;
    await expect(
      copyTo(client, `COPY (SELECT 1 / (50000 - i) FROM generate_series(1, 100000) i) TO STDOUT`, () => read++),
    ).rejects.toThrow(/division by zero/);
    expect(read).toBeLessThan(50_000);
    const lines = ["bad\t\\N\t{}\t\\N\t\\N\n"];
    for (let i = 0; i < 200_000; i++) lines.push(`${i}\tname ${i}\t{a,b}\tt\t${i}\n`);
    await expect(copyFrom(client, `COPY copy_check FROM STDIN`, lines)).rejects.toThrow(/invalid input syntax/);
    expect((await client.query(`SELECT count(*)::int AS n FROM copy_check WHERE name LIKE 'name %'`)).rows[0].n).toBe(
      0,
    );
    expect((await client.query(`SELECT 3 AS ok`)).rows[0].ok).toBe(3);
  });

  it("writes every binary field type and reads it back exactly (binary COPY both ways)", async () => {
    await client.query(
      `CREATE TEMP TABLE binary_check (id bigint, name text, tags text[], days int[], at timestamp(3), n int, data bytea)`,
    );
    const big = Buffer.alloc(100_000, 7);
    big[99_999] = 1;
    const values: Array<[string, string | null, string[] | null, number[] | null, Date, number, Buffer]> = [
      [
        "9007199254740993",
        'tab\there, quote " and back\\slash, caf\u00e9 \u{1f600}',
        ['say "hi"', "{braces}", "", "new\nline", "\u00fcber"],
        [20_000, -1, 0],
        new Date("2026-11-29T12:34:56.789Z"),
        -7,
        Buffer.from([0, 255, 10, 9]),
      ],
      ["2", null, [], [], new Date("1999-12-31T23:59:59.001Z"), 2147483647, big],
      ["3", "", null, null, new Date(0), 0, Buffer.alloc(0)],
    ];
    const writer = new BinaryCopyWriter();
    for (const [id, name, tags, days, at, n, data] of values) {
      writer.row(7).int8(id).text(name).textArray(tags).int4Array(days).timestamp(at).int4(n).bytes(data);
    }
    expect(await copyFromBinary(client, `COPY binary_check FROM STDIN (FORMAT binary)`, writer)).toBe(values.length);

    const { rows } = await client.query(`SELECT id::text, name, tags, days, at, n, data FROM binary_check ORDER BY id`);
    const byId = [...values].sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
    expect(
      rows.map((r) => [
        r.id,
        r.name,
        r.tags,
        r.days,
        r.at.getTime(),
        r.n,
        Buffer.compare(r.data, byId.find((v) => v[0] === r.id)![6]),
      ]),
    ).toEqual(byId.map(([id, name, tags, days, at, n]) => [id, name, tags, days, at.getTime(), n, 0]));
    // Prisma reads timestamp(3) columns as UTC: the binary value is UTC wall time.
    const { rows: text } = await client.query(`SELECT at::text FROM binary_check WHERE id = 2`);
    expect(text[0].at).toBe("1999-12-31 23:59:59.001");

    const back = await copyToBinary(
      client,
      `COPY (SELECT data, name FROM binary_check ORDER BY id) TO STDOUT (FORMAT binary)`,
    );
    expect(back.map(([data, name]) => [data!.length, name === null ? null : name.toString("utf8")])).toEqual(
      byId.map(([, name, , , , , data]) => [data.length, name]),
    );
    expect(Buffer.compare(back[0][0]!, big)).toBe(0);
    expect(
      await copyToBinary(client, `COPY (SELECT data FROM binary_check WHERE false) TO STDOUT (FORMAT binary)`),
    ).toEqual([]);
  });

  it("a binary COPY whose types do not match the table fails with the server's error", async () => {
    await client.query(`CREATE TEMP TABLE binary_mismatch (id bigint)`);
    await expect(
      copyFromBinary(client, `COPY binary_mismatch FROM STDIN (FORMAT binary)`, new BinaryCopyWriter().row(1).int4(1)),
    ).rejects.toThrow(/insufficient data left in message|incorrect binary data format/);
    expect((await client.query(`SELECT count(*)::int AS n FROM binary_mismatch`)).rows[0].n).toBe(0);
  });
});

describe("copyToSpans", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("hands copyToSpans's callback each row as a span of the stream's chunk, also rows that straddle chunks", async () => {
    const s = new Int32Array(4);
    const e = new Int32Array(4);
    let next = 1;
    const spans = await copyToSpans(client, `COPY (${STRADDLING_ROWS}) TO STDOUT`, (bytes, start, end) => {
      expect(splitCopyRow(bytes, s, e, start, end)).toBe(3);
      expect(e[2]).toBe(end);
      expect(copyInt(bytes, s[0], e[0])).toBe(next);
      expect(copyString(bytes, s[1], e[1])!.length).toBe(next % 25000 === 0 ? 200_000 : 2 * (next % 97));
      expect(copyString(bytes, s[2], e[2])).toBe("tab\there\nnew line");
      next++;
    });
    expect(spans).toBe(100_000);
    expect(next).toBe(100_001);
  });

  it("rejects with the server's error when the COPY fails before its first row, and leaves the connection usable", async () => {
    await expect(copyToSpans(client, `COPY (SELEC 1) TO STDOUT`, () => undefined)).rejects.toThrow(/syntax error/);
    await expect(copyToSpans(client, `COPY (SELECT * FROM no_such_table) TO STDOUT`, () => undefined)).rejects.toThrow(
      /no_such_table/,
    );
    let rows = 0;
    expect(await copyToSpans(client, `COPY (SELECT 1 WHERE false) TO STDOUT`, () => rows++)).toBe(0);
    expect(await copyToSpans(client, `COPY (SELECT 1) TO STDOUT`, () => rows++)).toBe(1);
    expect(rows).toBe(1);
    expect((await client.query(`SELECT 4 AS ok`)).rows[0].ok).toBe(4);
  });
});

/** One backend message: its type byte, its length (itself included) and its body. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/**
 * What a server sends for a COPY TO of `rows`: CopyOutResponse, a notice in
 * the middle, a CopyData message per row, then either CopyDone and what pg
 * reads after the copy, or an ErrorResponse (and ReadyForQuery) after
 * `errorAfter` rows.
 */
function copyOutStream(rows: readonly string[], errorAfter?: number): { bytes: Buffer; after: Buffer } {
  const parts = [message("H", Buffer.from([0, 0, 1, 0, 0]))];
  rows.forEach((row, i) => {
    if (i === errorAfter) return;
    if (errorAfter !== undefined && i > errorAfter) return;
    if (i === Math.floor(rows.length / 2)) parts.push(message("N", Buffer.from("SNOTICE\0Mhalf way\0\0", "latin1")));
    parts.push(message("d", Buffer.from(`${row}\n`, "utf8")));
  });
  const after =
    errorAfter === undefined
      ? Buffer.concat([message("C", Buffer.from("COPY 3\0", "latin1")), message("Z", Buffer.from("I", "latin1"))])
      : Buffer.concat([
          message("E", Buffer.from("SERROR\0Mdivision by zero\0\0", "latin1")),
          message("Z", Buffer.from("I", "latin1")),
        ]);
  if (errorAfter === undefined) parts.push(message("c", Buffer.alloc(0)));
  return { bytes: Buffer.concat([...parts, after]), after };
}

/** Feeds the stream to a CopyRowSplitter cut at the given offsets: the rows it gave and its answer at the end. */
function split(bytes: Buffer, cuts: readonly number[]) {
  const rows: string[] = [];
  const splitter = new CopyRowSplitter((b, start, end) => {
    // A text row's data ends in its newline.
    expect(b[end - 1]).toBe(10);
    rows.push(b.toString("utf8", start, end - 1));
  });
  const points = [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    const fed = splitter.feed(bytes.subarray(from, to));
    // pg gets the rest of this chunk, then every later chunk (the splitter is not fed again).
    if (fed !== "more") return { rows, rest: Buffer.concat([fed.rest, bytes.subarray(to)]), error: fed.error };
    from = to;
  }
  return { rows, rest: null, error: false };
}

// The splitter behind copyToSpans, on streams cut anywhere: the socket's
// chunks may split a message's header, its body or its newline.
describe("CopyRowSplitter", () => {
  const rows = ["1\tab", "", "wide\t" + "x".repeat(70_000), "3\t\\N", "é\tçà", "last"];

  it("gives every row whole and hands back what follows CopyDone, whatever one cut splits", () => {
    const { bytes, after } = copyOutStream(rows);
    for (let cut = 0; cut <= bytes.length; cut += cut < 200 || cut > bytes.length - 200 ? 1 : 997) {
      const result = split(bytes, [cut]);
      expect(result.rows).toEqual(rows);
      expect(result.rest).toEqual(after);
      expect(result.error).toBe(false);
    }
  });

  it("gives the same rows and rest for any cuts, down to single bytes", () => {
    const { bytes, after } = copyOutStream(rows);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 60 }), (cuts) => {
        const result = split(bytes, cuts);
        expect(result.rows).toEqual(rows);
        expect(result.rest).toEqual(after);
      }),
      { numRuns: 200 },
    );
    expect(
      split(
        bytes.subarray(0, 300),
        Array.from({ length: 300 }, (_, i) => i),
      ).rows,
    ).toEqual(rows.slice(0, 2));
  });

  it("stops at an ErrorResponse and hands it back unread, with the rows before it", () => {
    const { bytes, after } = copyOutStream(rows, 4);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 20 }), (cuts) => {
        const result = split(bytes, cuts);
        expect(result.rows).toEqual(rows.slice(0, 4));
        expect(result.rest).toEqual(after);
        expect(result.error).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("bigintArrayLiteral", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("gives PostgreSQL the ids as a BIGINT[] (a COPY statement takes no parameters)", async () => {
    const literal = bigintArrayLiteral(["1", "9223372036854775807", "-42"]);
    const { rows } = await client.query(`SELECT ${literal}::text AS ids`);
    expect(rows[0].ids).toBe("{1,9223372036854775807,-42}");
  });

  it("refuses anything but integers before it reaches the SQL", () => {
    expect(() => bigintArrayLiteral(["1", "2); DROP TABLE x; --"])).toThrow(SyntaxError);
    expect(() => bigintArrayLiteral(["1.5"])).toThrow(SyntaxError);
  });
});
