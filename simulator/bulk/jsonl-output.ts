// Writing a bulk operation's JSONL: a buffered writer, and the two line
// orders of bulkOperationRunQuery. With groupObjects: true each child line
// (a nested connection's node, with __parentId) follows its parent; without
// it (the default since 2026-04) Shopify writes child lines anywhere in the
// file, so a reader must join them by __parentId.
import { once } from "node:events";
import type { WriteStream } from "node:fs";
import { seededRandom, shuffleInPlace, type RandomSource } from "../../app/utils/seeded-random";

/** Buffers lines into ~256 KB chunks (one stream write each) and honours backpressure. */
export class JsonlWriter {
  bytes = 0;
  lines = 0;
  private buffer: string[] = [];
  private buffered = 0;
  constructor(private readonly stream: WriteStream) {}
  async write(value: unknown): Promise<void> {
    const line = JSON.stringify(value) + "\n";
    this.lines++;
    this.buffer.push(line);
    this.buffered += line.length;
    if (this.buffered >= 256 * 1024) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = Buffer.from(this.buffer.join(""), "utf8");
    this.buffer = [];
    this.buffered = 0;
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
  }
}

/** Receives each root object with its descendants (in grouped order) and writes them. */
export interface BulkLineOrder {
  add(root: object, descendants: object[]): Promise<void>;
  /** Writes whatever is still held back. */
  finish(): Promise<void>;
}

/** groupObjects: true: every child line right after its parent. */
export class GroupedLines implements BulkLineOrder {
  constructor(private readonly writer: JsonlWriter) {}
  async add(root: object, descendants: object[]): Promise<void> {
    await this.writer.write(root);
    for (const line of descendants) await this.writer.write(line);
  }
  async finish(): Promise<void> {}
}

/** How many lines are mixed together at most: bounds memory on a 13M-line export. */
const UNGROUPED_WINDOW_LINES = 2000;

/**
 * groupObjects: false: root lines stay in order, child lines are shuffled and
 * spread among them within a window of lines, so a child may come before its
 * parent or far after it. Seeded per operation: the same seed gives the same file.
 */
export class UngroupedLines implements BulkLineOrder {
  private roots: object[] = [];
  private children: object[] = [];
  private readonly random: RandomSource;
  constructor(
    private readonly writer: JsonlWriter,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }
  async add(root: object, descendants: object[]): Promise<void> {
    this.roots.push(root);
    for (const line of descendants) this.children.push(line);
    if (this.roots.length + this.children.length >= UNGROUPED_WINDOW_LINES) await this.finish();
  }
  async finish(): Promise<void> {
    const { roots, children, random } = this;
    this.roots = [];
    this.children = [];
    shuffleInPlace(children, random);
    // A uniformly random interleaving of the ordered roots with the shuffled children.
    let r = 0;
    let c = 0;
    while (r < roots.length || c < children.length) {
      const rootsLeft = roots.length - r;
      const takeRoot = random() * (rootsLeft + children.length - c) < rootsLeft;
      await this.writer.write(takeRoot ? roots[r++] : children[c++]);
    }
  }
}
