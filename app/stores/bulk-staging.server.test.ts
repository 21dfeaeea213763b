import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../db.server";
import { readStagedBulkGroups } from "../ingest/bulk-jsonl.server";
import { bulkStagingStore, dropStagedLines, stageBulkLines, stagedLineCount } from "./bulk-staging.server";

// The staging table against the real server: whatever the order of parents
// and children in the file and however the download is cut into chunks, each
// root comes back once with exactly its children.

async function* chunked(text: string, cuts: number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(bytes.length, cut);
    if (end > at) yield bytes.subarray(at, end);
    at = Math.max(at, end);
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

describe("bulk export staging", () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  let shopId: string;
  let runId: string;
  beforeAll(async () => {
    await client.connect();
    shopId = (await prisma.shop.create({ data: { domain: "staging.myshopify.com" } })).id;
    runId = (await prisma.jobRun.create({ data: { shopId, kind: "backfill" } })).id;
  });
  afterAll(() => client.end());

  it("joins children to their parents whatever their order in the file and the download's chunks", async () => {
    const file = fc.record({
      orders: fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 25 }),
      seed: fc.nat(),
      cuts: fc.array(fc.nat({ max: 4_000 }), { maxLength: 12 }),
      crlf: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(file, async ({ orders, seed, cuts, crlf }) => {
        const lines: string[] = [];
        const expected = new Map<string, string[]>();
        orders.forEach((children, k) => {
          const id = `gid://shopify/Order/${1000 + k}`;
          lines.push(JSON.stringify({ id, name: `#${k}`, note: 'quote " backslash \\ tab \t é' }));
          expected.set(id, []);
          for (let c = 0; c < children; c++) {
            const child = `gid://shopify/LineItem/${k * 10 + c}`;
            lines.push(JSON.stringify({ id: child, quantity: c + 1, __parentId: id }));
            expected.get(id)!.push(child);
          }
        });
        // Shuffled (children may come before their parent), with blank lines.
        let state = seed;
        const shuffled = lines
          .map((line) => ({ line, key: (state = (state * 1103515245 + 12345) % 2 ** 31) }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.line);
        const text = `${shuffled.join(crlf ? "\r\n" : "\n")}\n\n`;
        const progress = { lines: 0 };
        expect(await stageBulkLines(client, { runId, shopId }, chunked(text, cuts), progress)).toBe(lines.length);
        expect(progress.lines).toBe(lines.length);
        const got = new Map<string, string[]>();
        for await (const group of readStagedBulkGroups(client, runId)) {
          expect(got.has(group.node.id)).toBe(false);
          expect(group.node.note).toBe('quote " backslash \\ tab \t é');
          got.set(
            group.node.id,
            group.children.map((child) => child.id),
          );
        }
        expect(new Map([...got].map(([id, c]) => [id, [...c].sort()]))).toEqual(
          new Map([...expected].map(([id, c]) => [id, [...c].sort()])),
        );
        await dropStagedLines(client, runId);
        expect(await stagedLineCount(prisma, shopId)).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it("fails with the line number on a line that is not JSON, staging nothing", async () => {
    const text = '{"id":"gid://shopify/Order/1"}\n{"id":"gid://shopify/Order/2"\n';
    await expect(stageBulkLines(client, { runId, shopId }, chunked(text, []))).rejects.toThrow(
      /Bulk result line 2 is not JSON/,
    );
    expect(await stagedLineCount(prisma, shopId)).toBe(0);
  });

  it("fails on children whose parent is not in the export", async () => {
    const text =
      '{"id":"gid://shopify/Order/1"}\n{"id":"gid://shopify/LineItem/9","__parentId":"gid://shopify/Order/2"}\n';
    await stageBulkLines(client, { runId, shopId }, chunked(text, []));
    const read = async () => {
      for await (const _group of readStagedBulkGroups(client, runId)) {
        // read through
      }
    };
    await expect(read()).rejects.toThrow(/parent gid:\/\/shopify\/Order\/2 is not in the export/);
    await dropStagedLines(client, runId);
  });

  it("a source that fails mid-download cancels the COPY", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('{"id":"gid://shopify/Order/1"}\n');
      throw new Error("connection reset");
    }
    await expect(stageBulkLines(client, { runId, shopId }, failing())).rejects.toThrow(/connection reset/);
    expect(await stagedLineCount(prisma, shopId)).toBe(0);
    // The connection is usable afterwards.
    expect((await client.query("SELECT 1 AS one")).rows[0].one).toBe(1);
  });

  it("erases a customer from staged lines, and a shop's staged lines", async () => {
    const text = [
      '{"id":"gid://shopify/Customer/77","tags":[]}',
      '{"id":"gid://shopify/Order/5","customer":{"id":"gid://shopify/Customer/77"}}',
      '{"id":"gid://shopify/Order/6","customer":{"id":"gid://shopify/Customer/78"}}',
    ].join("\n");
    await stageBulkLines(client, { runId, shopId }, chunked(text, []));
    const shop = { id: shopId, domain: "staging.myshopify.com" };
    await prisma.$transaction((tx) => bulkStagingStore.eraseCustomer(tx, { shop, customerId: 77n, orderIds: [] }));
    const left = (await prisma.bulkExportLine.findMany({ where: { shopId }, orderBy: { line: "asc" } })).map(
      (row) => row.body,
    );
    expect(left).toEqual([
      { id: "gid://shopify/Order/5" },
      { id: "gid://shopify/Order/6", customer: { id: "gid://shopify/Customer/78" } },
    ]);
    await prisma.$transaction((tx) => bulkStagingStore.eraseShop(tx, shop));
    expect(await stagedLineCount(prisma, shopId)).toBe(0);
  });
});
