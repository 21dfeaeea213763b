import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyBool, copyFrom, copyInt, copyString, copyText, copyTo, splitCopyRow } from "./recompute-pg.server";

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
    const count = await copyTo(client, `COPY (SELECT id, name, flag, n FROM copy_check ORDER BY id) TO STDOUT`, (row) => {
      expect(splitCopyRow(row, s, e)).toBe(4);
      read.push([copyString(row, s[0], e[0])!, copyString(row, s[1], e[1]), copyBool(row, s[2], e[2]), copyInt(row, s[3], e[3])]);
    });
    expect(count).toBe(rows.length);
    expect(read).toEqual(rows.map(([id, name, , flag, n]) => [id, name, flag, n]));
  });

  it("rejects with the server's error and leaves the connection usable", async () => {
    await expect(copyTo(client, `COPY (SELECT 1 / 0) TO STDOUT`, () => undefined)).rejects.toThrow(/division by zero/);
    await expect(copyFrom(client, `COPY copy_check FROM STDIN`, ["not-a-number\t\\N\t{}\t\\N\t\\N\n"])).rejects.toThrow(/invalid input syntax/);
    expect((await client.query(`SELECT 1 AS ok`)).rows[0].ok).toBe(1);
  });
});
