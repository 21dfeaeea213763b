// COPY for the stores' hot paths: millions of rows read with COPY TO STDOUT
// and parsed from bytes (Prisma would build an object per row, pg a string per
// field), and rows written with COPY FROM STDIN, as text or in the binary
// format (./binary-copy.ts: memberships, transitions, feature slices). Both
// directions go through pg-copy-streams (by pg's author): pg has no COPY API
// of its own (docs/performance.md compares it with the hand-made sub-protocol
// it replaced).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as pgCopyFrom, to as copyToStream } from "pg-copy-streams";
import { parseBinaryCopy, type BinaryCopyWriter } from "./binary-copy";
import type { PgClient } from "./pool.server";

export type { PgClient };

/** Quotes one value for COPY's text format (tab-separated, \N for null). */
export function copyText(value: string | number | bigint | boolean | null | undefined | readonly string[]): string {
  if (value === null || value === undefined) return "\\N";
  if (Array.isArray(value)) return copyArray(value);
  return copyEscape(String(value));
}

/**
 * A text[] literal for COPY: every element double-quoted (with " and \
 * backslash-escaped for the array syntax), then the whole escaped for COPY.
 * Written as a loop: millions of elements go through here in a recompute.
 */
function copyArray(values: readonly string[]): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = String(values[i]);
    let plain = true;
    for (let k = 0; k < v.length; k++) {
      const c = v.charCodeAt(k);
      if (c === 34 || c === 92 || c === 9 || c === 10 || c === 13) {
        plain = false;
        break;
      }
    }
    if (i > 0) out += ",";
    out += plain ? `"${v}"` : copyEscape(`"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  }
  return `${out}}`;
}

function copyEscape(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text;
}

/**
 * `COPY table (columns) FROM STDIN` with rows already formatted as COPY text
 * lines (each ending in "\n"), sent in chunks of about 64 KB.
 */
export function copyFrom(client: PgClient, sql: string, lines: readonly string[]): Promise<number> {
  return copyIn(client, sql, copyTextChunks(lines));
}

/** COPY text lines joined into buffers of about 64 KB (one CopyData message each). */
export function copyTextChunks(lines: readonly string[]): Buffer[] {
  const chunks: Buffer[] = [];
  let buffer: string[] = [];
  let size = 0;
  for (const line of lines) {
    buffer.push(line);
    size += line.length;
    if (size > 1 << 16) {
      chunks.push(Buffer.from(buffer.join(""), "utf8"));
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length) chunks.push(Buffer.from(buffer.join(""), "utf8"));
  return chunks;
}

/**
 * `COPY table (columns) FROM STDIN (FORMAT binary)` with a payload made by a
 * BinaryCopyWriter (./binary-copy.ts).
 */
export function copyFromBinary(client: PgClient, sql: string, writer: BinaryCopyWriter): Promise<number> {
  return copyIn(client, sql, writer.finish());
}

/** Where a COPY stream's late writes go once the server has rejected the COPY. */
const discardingConnection = {
  stream: { write: () => true, once: () => undefined },
  sendCopyFail: () => undefined,
};

/**
 * pg-copy-streams' COPY FROM stream, safe against the server's early error.
 * When the server rejects the COPY (a bad row) while the socket is still
 * draining a large payload, the stream has already registered a 'drain'
 * listener that sends the next chunk; pg-copy-streams 7 drops its connection
 * on the error, so that listener threw a TypeError outside any promise
 * (reading `stream` of null). The server ignores COPY data after its error,
 * so what is still queued goes nowhere instead.
 */
function copyFromQuery(sql: string): ReturnType<typeof pgCopyFrom> {
  const stream = pgCopyFrom(sql);
  const internals = stream as unknown as { handleError(e: Error): void; connection: unknown };
  const handleError = internals.handleError.bind(stream);
  internals.handleError = (error: Error) => {
    handleError(error);
    internals.connection = discardingConnection;
  };
  return stream;
}

/**
 * Sends the chunks as COPY data; resolves with the number of rows copied once
 * the server has committed them, rejects with the server's error.
 */
function copyIn(client: PgClient, sql: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFromQuery(sql));
    // 'finish' comes after the server's ReadyForQuery; after an error it never
    // comes (and the server drops what is still sent), so 'error' settles it.
    stream.on("error", reject);
    stream.on("finish", () => resolve(stream.rowCount));
    // The chunks are in memory already: the stream only queues references until the server is ready.
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
}

/**
 * `COPY table (columns) FROM STDIN` fed from a stream of chunks (already in
 * the COPY format `sql` names), with backpressure: a chunk is sent when the
 * socket has drained the last one, so a download of any size goes through
 * with bounded memory. An error of the source cancels the COPY (nothing is
 * inserted) and rejects with that error; an error of the server (a bad row)
 * rejects with the server's error and stops reading the source.
 */
export async function copyFromStream(
  client: PgClient,
  sql: string,
  source: AsyncIterable<Uint8Array>,
): Promise<number> {
  const stream = client.query(copyFromQuery(sql));
  // pipeline() waits for the socket to drain between chunks; a failing source
  // destroys the COPY stream, which sends CopyFail so the server inserts nothing.
  await pipeline(Readable.from(source, { objectMode: false }), stream);
  return stream.rowCount;
}

/**
 * `COPY (query) TO STDOUT (FORMAT binary)`: the rows' fields as bytes (null
 * for NULL). For a few large values (feature slices), not millions of rows.
 */
export async function copyToBinary(client: PgClient, sql: string): Promise<Array<Array<Buffer | null>>> {
  const parts: Buffer[] = [];
  await copyChunks(client, sql, (chunk) => parts.push(chunk));
  return parseBinaryCopy(Buffer.concat(parts));
}

/**
 * `COPY (query) TO STDOUT` (text format): calls `onRow` with each row's bytes
 * (without the trailing newline). Reading millions of rows this way is several
 * times cheaper than pg's row parser, which builds a string per field.
 * Resolves with the number of rows.
 */
export function copyTo(client: PgClient, sql: string, onRow: (row: Buffer) => void): Promise<number> {
  return copyToSpans(client, sql, (bytes, start, end) => onRow(bytes.subarray(start, end)));
}

/**
 * copyTo for the million-row reads (orders, customers' ids, tag candidates): each row is given as
 * bytes[start, end) of the stream's chunk, valid during the call, instead of
 * a Buffer view of its own (an object per row).
 */
export async function copyToSpans(
  client: PgClient,
  sql: string,
  onRow: (bytes: Buffer, start: number, end: number) => void,
): Promise<number> {
  // The stream's chunks hold many rows, and a row can straddle two chunks.
  // Every text-format row ends in "\n", and a newline inside a value is
  // escaped (\n), so each raw newline ends exactly one row.
  let rows = 0;
  let partial: Buffer | null = null;
  await copyChunks(client, sql, (chunk) => {
    let start = 0;
    let end = chunk.indexOf(10);
    if (partial && end >= 0) {
      const row = Buffer.concat([partial, chunk.subarray(0, end)]);
      onRow(row, 0, row.length);
      rows++;
      partial = null;
      start = end + 1;
      end = chunk.indexOf(10, start);
    }
    for (; end >= 0; end = chunk.indexOf(10, start)) {
      onRow(chunk, start, end);
      rows++;
      start = end + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      partial = partial ? Buffer.concat([partial, rest]) : rest;
    }
  });
  if (partial) throw new Error("COPY TO ended inside a row (no final newline)");
  return rows;
}

/**
 * Streams `COPY ... TO STDOUT` and hands each chunk to `onChunk`. An error
 * thrown by `onChunk` stops the calls, but the rest of the data is still
 * read (so the connection leaves COPY mode) before the promise rejects with
 * it; the server's error rejects it as well.
 */
function copyChunks(client: PgClient, sql: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: unknown = null;
    const stream = client.query(copyToStream(sql));
    stream.on("data", (chunk: Buffer) => {
      if (failure) return;
      try {
        onChunk(chunk);
      } catch (error) {
        failure = error;
      }
    });
    stream.on("error", reject);
    stream.on("end", () => (failure ? reject(failure) : resolve()));
  });
}

/**
 * Splits one COPY text row (row[from, to), by default the whole buffer) into
 * field boundaries: starts[i], ends[i] (offsets in `row`); returns the field count.
 */
export function splitCopyRow(row: Buffer, starts: Int32Array, ends: Int32Array, from = 0, to = row.length): number {
  let field = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    if (row[i] === 9) {
      starts[field] = start;
      ends[field++] = i;
      start = i + 1;
    }
  }
  starts[field] = start;
  ends[field++] = to;
  return field;
}

/** True when the field is COPY's NULL marker (\N). */
export function copyIsNull(row: Buffer, start: number, end: number): boolean {
  return end - start === 2 && row[start] === 92 && row[start + 1] === 78;
}

/** A COPY text field as a string (null for \N), undoing COPY's backslash escapes. */
export function copyString(row: Buffer, start: number, end: number): string | null {
  if (copyIsNull(row, start, end)) return null;
  const text = row.toString("utf8", start, end);
  return text.includes("\\") ? unescapeCopy(text) : text;
}

function unescapeCopy(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    switch (c) {
      case "t":
        return "\t";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "v":
        return "\v";
      default:
        return c;
    }
  });
}

/** A COPY text integer field (null for \N), parsed from the bytes without a string. */
export function copyInt(row: Buffer, start: number, end: number): number | null {
  if (copyIsNull(row, start, end)) return null;
  let i = start;
  let sign = 1;
  if (row[i] === 45) {
    sign = -1;
    i++;
  }
  let n = 0;
  for (; i < end; i++) n = n * 10 + (row[i] - 48);
  return sign * n;
}

/** A COPY text boolean field (t/f; null for \N). */
export function copyBool(row: Buffer, start: number, end: number): boolean | null {
  if (copyIsNull(row, start, end)) return null;
  return row[start] === 116;
}

/**
 * Ids as a BIGINT[] literal for a COPY statement (which takes no parameters):
 * each id goes through BigInt, so anything but an integer throws instead of
 * reaching the SQL.
 */
export function bigintArrayLiteral(ids: readonly string[]): string {
  return `'{${ids.map((id) => BigInt(id).toString()).join(",")}}'::bigint[]`;
}
