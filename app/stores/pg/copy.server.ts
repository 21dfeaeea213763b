// COPY for the stores' hot paths: millions of rows read with COPY TO STDOUT
// and parsed from bytes (Prisma would build an object per row, pg a string per
// field), and rows written with COPY FROM STDIN, as text or in the binary
// format (./binary-copy.ts: memberships, transitions, feature slices). pg has
// no COPY API of its own: both directions are small "submittables".
import { once } from "node:events";
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
  return copyIn(client, sql, chunks);
}

/**
 * `COPY table (columns) FROM STDIN (FORMAT binary)` with a payload made by a
 * BinaryCopyWriter (./binary-copy.ts).
 */
export function copyFromBinary(client: PgClient, sql: string, writer: BinaryCopyWriter): Promise<number> {
  return copyIn(client, sql, writer.finish());
}

/**
 * The copy-in sub-protocol: pg has no COPY API of its own; this is the small
 * "submittable" it accepts. Resolves with the number of rows copied.
 */
function copyIn(client: PgClient, sql: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let rowCount = 0;
    const submittable = {
      submit(connection: any) {
        connection.query(sql);
      },
      handleCopyInResponse(connection: any) {
        for (const chunk of chunks) connection.sendCopyFromChunk(chunk);
        connection.endCopyFrom();
      },
      handleCommandComplete(msg: { text?: string }) {
        const match = /(\d+)$/.exec(msg.text ?? "");
        if (match) rowCount = Number(match[1]);
      },
      // pg ends the query on an error message (no handleReadyForQuery follows).
      handleError(error: Error) {
        reject(error);
      },
      handleReadyForQuery() {
        resolve(rowCount);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleCopyData() {},
      handlePortalSuspended() {},
    };
    (client as any).query(submittable);
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
export function copyFromStream(client: PgClient, sql: string, source: AsyncIterable<Uint8Array>): Promise<number> {
  return new Promise((resolve, reject) => {
    let rowCount = 0;
    let sourceError: Error | null = null;
    let serverError: Error | null = null;
    const submittable = {
      submit(connection: any) {
        connection.query(sql);
      },
      async handleCopyInResponse(connection: any) {
        try {
          for await (const chunk of source) {
            if (serverError) break; // the server ended the COPY; stop downloading
            connection.sendCopyFromChunk(
              Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
            );
            if (connection.stream.writableNeedDrain) await once(connection.stream, "drain");
          }
          if (!serverError) connection.endCopyFrom();
        } catch (error) {
          sourceError = error as Error;
          if (!serverError) connection.sendCopyFail(`source failed: ${sourceError.message}`.slice(0, 200));
        }
      },
      handleCommandComplete(msg: { text?: string }) {
        const match = /(\d+)$/.exec(msg.text ?? "");
        if (match) rowCount = Number(match[1]);
      },
      handleError(error: Error) {
        serverError = error;
        reject(sourceError ?? error);
      },
      handleReadyForQuery() {
        if (!serverError) resolve(rowCount);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleCopyData() {},
      handlePortalSuspended() {},
    };
    (client as any).query(submittable);
  });
}

/**
 * `COPY (query) TO STDOUT (FORMAT binary)`: the rows' fields as bytes (null
 * for NULL). For a few large values (feature slices), not millions of rows.
 */
export async function copyToBinary(client: PgClient, sql: string): Promise<Array<Array<Buffer | null>>> {
  const parts: Buffer[] = [];
  await copyChunks(client, sql, (chunk) => {
    // pg's parser reuses its buffer: keep a copy.
    parts.push(Buffer.from(chunk));
  });
  return parseBinaryCopy(Buffer.concat(parts));
}

/**
 * `COPY (query) TO STDOUT` (text format): calls `onRow` with each row's bytes
 * (without the trailing newline). PostgreSQL sends one CopyData message per
 * row, so no line splitting is needed. Reading millions of rows this way is
 * several times cheaper than pg's row parser, which builds a string per field.
 */
export function copyTo(client: PgClient, sql: string, onRow: (row: Buffer) => void): Promise<number> {
  // Every row ends with "\n".
  return copyChunks(client, sql, (chunk) =>
    onRow(chunk.subarray(0, chunk[chunk.length - 1] === 10 ? chunk.length - 1 : chunk.length)),
  );
}

/**
 * The copy-out sub-protocol: `onChunk` gets each CopyData message (a view of
 * pg's buffer, valid during the call). Resolves with the number of messages.
 * An error thrown by `onChunk` rejects once the server has finished.
 */
function copyChunks(client: PgClient, sql: string, onChunk: (chunk: Buffer) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    let failure: Error | null = null;
    const submittable = {
      submit(connection: any) {
        connection.query(sql);
      },
      handleCopyOutResponse() {},
      handleCopyData(msg: { chunk: Buffer }) {
        if (failure) return;
        try {
          onChunk(msg.chunk);
          rows++;
        } catch (error) {
          failure = error as Error;
        }
      },
      handleCommandComplete() {},
      // pg ends the query on an error message (no handleReadyForQuery follows).
      handleError(error: Error) {
        reject(error);
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve(rows);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handleCopyInResponse(connection: any) {
        connection.sendCopyFail("unexpected COPY FROM");
      },
      handlePortalSuspended() {},
    };
    (client as any).query(submittable);
  });
}

/** Splits one COPY text row into field boundaries: starts[i], ends[i]; returns the field count. */
export function splitCopyRow(row: Buffer, starts: Int32Array, ends: Int32Array): number {
  let field = 0;
  let start = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === 9) {
      starts[field] = start;
      ends[field++] = i;
      start = i + 1;
    }
  }
  starts[field] = start;
  ends[field++] = row.length;
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
