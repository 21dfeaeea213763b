// Reading a bulk operation's JSONL result. Since API 2026-04 (groupObjects
// false, the default) nested connection nodes come as their own lines with
// `__parentId`, anywhere in the file, even before their parent: an export
// with nested connections is staged in PostgreSQL and read back grouped
// (app/stores/bulk-staging.server.ts); an export without them is streamed.
import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { stageBulkLines, streamStagedLines, type StagingProgress } from "../stores/bulk-staging.server";
import type { PgClient } from "../stores/pg/pool.server";

export interface BulkGroup {
  node: Record<string, any>;
  children: Record<string, any>[];
}

export interface BulkReadProgress {
  lines: number;
}

async function download(url: string, fetchImpl: typeof fetch): Promise<Readable> {
  const response = await fetchImpl(url);
  if (!response.ok || !response.body) {
    throw new Error(`Could not download the bulk operation result (HTTP ${response.status})`);
  }
  return Readable.fromWeb(response.body as unknown as WebReadableStream);
}

function parseLine(line: string, number: number): Record<string, any> {
  try {
    const object = JSON.parse(line);
    if (object && typeof object === "object" && !Array.isArray(object)) return object;
  } catch {
    // reported below
  }
  throw new Error(`Bulk result line ${number} is not a JSON object`);
}

/**
 * Streams an export whose query has no nested connection (every line a root
 * object), line by line, never the whole file in memory. A line with
 * `__parentId` means the export needs readStagedBulkGroups instead.
 */
export async function* readBulkRoots(
  url: string,
  progress: BulkReadProgress = { lines: 0 },
  fetchImpl: typeof fetch = fetch,
): AsyncGenerator<Record<string, any>> {
  const lines = readline.createInterface({ input: await download(url, fetchImpl), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    progress.lines++;
    const object = parseLine(line, progress.lines);
    if (object.__parentId !== undefined) {
      throw new Error(`Bulk result line ${progress.lines} is a nested object: this export must be staged`);
    }
    yield object;
  }
}

/**
 * Downloads an export with nested connections into the staging table under
 * the run's id (replacing what the shop had staged). Returns the lines staged.
 */
export async function stageBulkExport(
  client: PgClient,
  run: { runId: string; shopId: string },
  url: string,
  progress: StagingProgress = { lines: 0 },
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  return stageBulkLines(client, run, await download(url, fetchImpl), progress);
}

/**
 * The staged export, one root object at a time with its child lines: the
 * lines come back sorted by parent, so a group ends where the next begins.
 * Children whose parent is not in the export are an error (a truncated or
 * foreign file), as is a line that is not a JSON object.
 */
export async function* readStagedBulkGroups(client: PgClient, runId: string): AsyncGenerator<BulkGroup> {
  let current: BulkGroup | undefined;
  let currentKey = "";
  let read = 0;
  for await (const page of streamStagedLines(client, runId)) {
    for (const [group, child, body] of page) {
      read++;
      const object = parseLine(body, read);
      if (!child) {
        if (current) yield current;
        current = { node: object, children: [] };
        currentKey = group;
      } else if (current && group === currentKey) {
        current.children.push(object);
      } else {
        throw new Error(`Bulk result has a ${object.id ?? "line"} whose parent ${group} is not in the export`);
      }
    }
  }
  if (current) yield current;
}
