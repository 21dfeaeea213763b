import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

export interface BulkGroup {
  node: Record<string, any>;
  children: Record<string, any>[];
}

export interface BulkReadProgress {
  lines: number;
}

/**
 * Streams a bulk operation's JSONL result line by line (never the whole file
 * in memory) and yields each root object with its nested connection nodes,
 * which Shopify writes as separate lines after their parent, carrying
 * `__parentId`.
 */
export async function* readBulkGroups(
  url: string,
  progress: BulkReadProgress = { lines: 0 },
  fetchImpl: typeof fetch = fetch,
): AsyncGenerator<BulkGroup> {
  const response = await fetchImpl(url);
  if (!response.ok || !response.body) {
    throw new Error(`Could not download the bulk operation result (HTTP ${response.status})`);
  }
  const lines = readline.createInterface({
    input: Readable.fromWeb(response.body as unknown as WebReadableStream),
    crlfDelay: Infinity,
  });
  let current: BulkGroup | undefined;
  for await (const line of lines) {
    if (!line.trim()) continue;
    progress.lines++;
    let object: Record<string, any>;
    try {
      object = JSON.parse(line);
    } catch {
      throw new Error(`Bulk result line ${progress.lines} is not JSON`);
    }
    const parentId = object.__parentId;
    if (parentId === undefined) {
      if (current) yield current;
      current = { node: object, children: [] };
    } else if (current && current.node.id === parentId) {
      current.children.push(object);
    } else {
      throw new Error(`Bulk result line ${progress.lines} belongs to ${parentId}, which is not the object before it`);
    }
  }
  if (current) yield current;
}
