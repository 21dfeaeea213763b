// COPY for the stores' hot paths: millions of rows read with COPY TO STDOUT
// and parsed from bytes (Prisma would build an object per row, pg a string per
// field), and rows written with COPY FROM STDIN, as text or in the binary
// format (./binary-copy.ts: memberships, transitions, feature slices). Both
// directions go through pg-copy-streams (by pg's author): pg has no COPY API
// of its own (docs/performance.md compares it with the hand-made sub-protocol
// it replaced). COPY TO keeps its query but finds the rows with a parser of
// our own (CopyRowSplitter), without an object or a copy per row.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type CopyToStreamQuery, from as pgCopyFrom, to as copyToStream } from "pg-copy-streams";
import { parseBinaryCopyMessages, type BinaryCopyWriter } from "./binary-copy";
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
 * for NULL), viewing the socket's chunks they arrived in (no copy of the
 * payload; a caller keeping a field long copies it). For a few large values
 * (feature slices), not millions of rows.
 */
export async function copyToBinary(client: PgClient, sql: string): Promise<Array<Array<Buffer | null>>> {
  const messages: Buffer[] = [];
  await copyData(client, sql, (bytes, start, end) => messages.push(bytes.subarray(start, end)));
  return parseBinaryCopyMessages(messages);
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
 * bytes[start, end) of the socket's chunk, valid during the call, instead of
 * a Buffer of its own (an object per row). Rows are found by their CopyData
 * messages where the socket's chunks arrive (RowSpansQuery), not copied into
 * pg-copy-streams' buffers first. An error thrown by `onRow` stops the calls,
 * but the rest of the data is still read (so the connection leaves COPY mode)
 * before the promise rejects with it; the server's error rejects it as well.
 * Resolves with the number of rows.
 */
export function copyToSpans(
  client: PgClient,
  sql: string,
  onRow: (bytes: Buffer, start: number, end: number) => void,
): Promise<number> {
  // The backend sends one row per CopyData message ("always one per row", the
  // protocol's COPY operations), a text row with its newline.
  return copyData(client, sql, (bytes, start, end) => onRow(bytes, start, end - 1));
}

/**
 * Runs a COPY TO and calls `onData` with each CopyData message's bytes[start,
 * end) as they arrive (RowSpansQuery). An error thrown by `onData` stops the
 * calls, but the rest of the data is still read (so the connection leaves COPY
 * mode) before the promise rejects with it; the server's error rejects it as
 * well. Resolves with the number of messages.
 */
function copyData(
  client: PgClient,
  sql: string,
  onData: (bytes: Buffer, start: number, end: number) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let messages = 0;
    let failure: unknown = null;
    const query = new RowSpansQuery(sql, (bytes, start, end) => {
      if (failure) return;
      try {
        onData(bytes, start, end);
        messages++;
      } catch (error) {
        failure = error;
      }
    });
    const stream = client.query(query);
    stream.on("error", reject);
    stream.on("end", () => (failure ? reject(failure) : resolve(messages)));
    // Flowing, so that 'end' comes: the stream itself never carries data.
    stream.resume();
  });
}

/** The backend messages a COPY TO sends (protocol section 55.7). */
const MESSAGE = {
  copyData: 0x64, // d
  copyOutResponse: 0x48, // H
  errorResponse: 0x45, // E
  parameterStatus: 0x53, // S
  noticeResponse: 0x4e, // N
  notificationResponse: 0x41, // A
} as const;

/**
 * Finds a COPY TO's rows in the backend's messages as they arrive in the
 * socket's chunks: each CopyData message's data (a text row with its newline,
 * or a binary row) is handed to `onData` where it lies in its chunk; only a
 * message split between two chunks is joined. `feed` answers "more" while the copy
 * goes on; once it is over (after CopyDone, or at an ErrorResponse, which is
 * not consumed) it answers with the bytes that follow, which belong to pg's
 * own parser. Pure: bytes in, calls out.
 */
export class CopyRowSplitter {
  /** A message split between chunks: its parts so far, and its whole length once its header is known (0 before). */
  private parts: Buffer[] = [];
  private partSize = 0;
  private messageSize = 0;

  constructor(private readonly onData: (bytes: Buffer, start: number, end: number) => void) {}

  feed(chunk: Buffer): "more" | { rest: Buffer; error: boolean } {
    let pos = 0;
    // First the message a previous chunk began: its 5-byte header, then the rest.
    while (this.partSize > 0) {
      const header = this.messageSize === 0;
      const wanted = header ? 5 : this.messageSize;
      const take = Math.min(wanted - this.partSize, chunk.length - pos);
      this.parts.push(chunk.subarray(pos, pos + take));
      this.partSize += take;
      pos += take;
      if (this.partSize < wanted) return "more";
      const joined = Buffer.concat(this.parts, this.partSize);
      this.parts = [joined];
      if (header) {
        if (joined[0] === MESSAGE.errorResponse)
          return { rest: Buffer.concat([joined, chunk.subarray(pos)]), error: true };
        this.messageSize = 1 + joined.readUInt32BE(1);
        continue;
      }
      this.parts = [];
      this.partSize = 0;
      this.messageSize = 0;
      if (!this.message(joined, 0, joined.length)) return { rest: chunk.subarray(pos), error: false };
    }
    const length = chunk.length;
    while (length - pos >= 5) {
      if (chunk[pos] === MESSAGE.errorResponse) return { rest: chunk.subarray(pos), error: true };
      const size = 1 + chunk.readUInt32BE(pos + 1);
      if (length - pos < size) break;
      const goOn = this.message(chunk, pos, pos + size);
      pos += size;
      if (!goOn) return { rest: chunk.subarray(pos), error: false };
    }
    if (pos < length) {
      this.parts = [chunk.subarray(pos)];
      this.partSize = length - pos;
      this.messageSize = this.partSize >= 5 ? 1 + chunk.readUInt32BE(pos + 1) : 0;
    }
    return "more";
  }

  /** One whole message at bytes[start, end); false when it ends the copy (CopyDone, or anything unexpected). */
  private message(bytes: Buffer, start: number, end: number): boolean {
    const code = bytes[start];
    if (code === MESSAGE.copyData) {
      this.onData(bytes, start + 5, end);
      return true;
    }
    return (
      code === MESSAGE.copyOutResponse ||
      code === MESSAGE.parameterStatus ||
      code === MESSAGE.noticeResponse ||
      code === MESSAGE.notificationResponse
    );
  }
}

/** pg-copy-streams' COPY TO query, whose parser RowSpansQuery replaces (the package exports only its factory). */
const CopyToQuery = Object.getPrototypeOf(copyToStream("")).constructor as new (text: string) => CopyToStreamQuery;

/** The parts of pg-copy-streams 7's COPY TO query that RowSpansQuery uses. */
interface CopyToInternals {
  _buffer: { push(chunk: Buffer): void };
  _detach(): void;
  _cleanup(): void;
}

/**
 * pg-copy-streams' COPY TO query with its message parser replaced by a
 * CopyRowSplitter. The package's own parser made a Buffer per row and copied
 * every chunk's rows into one buffer before anything read them: for the five
 * million rows of a recompute's read, about 0.5 s of CPU and five million
 * objects for the garbage collector (docs/performance.md, 2026-12-07 from
 * 12:39); a feature slice's 15 MB were copied three times on their way in.
 * The stream itself carries no data; it ends with the copy. What follows the
 * copy is handed back to pg as the package does.
 */
class RowSpansQuery extends CopyToQuery {
  private readonly splitter: CopyRowSplitter;

  constructor(text: string, onData: (bytes: Buffer, start: number, end: number) => void) {
    super(text);
    this.splitter = new CopyRowSplitter(onData);
  }

  /** Called by the package with each chunk read from the socket; false once the copy is over. */
  _parse(chunk: Buffer): boolean | undefined {
    const fed = this.splitter.feed(chunk);
    if (fed === "more") return true;
    const self = this as unknown as CopyToInternals;
    self._buffer.push(fed.rest);
    self._detach();
    // At an error, pg's parser (given it by _detach) fails the query, which ends the stream with it.
    if (fed.error) return undefined;
    this.push(null);
    self._cleanup();
    return false;
  }
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
