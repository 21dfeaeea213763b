// PostgreSQL's binary COPY format, written straight into buffers: no text
// escaping on our side and no text parsing (array_in, hex bytea) on the
// server's, which both dominated writing a million customers' memberships and
// hundreds of megabytes of feature slices. Pure: rows in, buffers out.
// Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Type OIDs of array elements (pg_type.oid). */
const TEXT_OID = 25;
const INT4_OID = 23;
/** Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01 (UTC). */
const PG_EPOCH_MS = 946_684_800_000;
const CHUNK = 1 << 16;
const LENGTH_PLACEHOLDER = "\0\0\0\0";
/** Values this large are passed through as their own chunk, not copied. */
const PASS_THROUGH = 1 << 15;

/** A non-empty string of at most 15 decimal digits: below 10^15, so exact as a number. */
function isShortDecimal(value: string): boolean {
  if (value.length === 0 || value.length > 15) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Rows for `COPY table (columns) FROM STDIN (FORMAT binary)`. Call `row(n)`
 * with the number of fields, then exactly n field writers in column order;
 * `finish()` gives the payload. The column types must match exactly (binary
 * input does not convert): int4/int8/text/bytea/text[]/int4[]/timestamp.
 */
export class BinaryCopyWriter {
  private readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK);
  private at = 0;
  private finished = false;
  private stampMs = NaN;
  private stampUs: number | bigint = 0;

  constructor() {
    this.ensure(19);
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, 11); // flags: no OIDs
    this.buf.writeInt32BE(0, 15); // no header extension
    this.at = 19;
  }

  row(fields: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(fields, this.at);
    this.at += 2;
    return this;
  }

  null(): this {
    this.ensure(4);
    this.buf.writeInt32BE(-1, this.at);
    this.at += 4;
    return this;
  }

  /** A smallint, or NULL for null. */
  int2(value: number | null): this {
    if (value === null) return this.null();
    this.ensure(6);
    this.buf.writeInt32BE(2, this.at);
    this.buf.writeInt16BE(value, this.at + 4);
    this.at += 6;
    return this;
  }

  int4(value: number): this {
    this.ensure(8);
    this.buf.writeInt32BE(4, this.at);
    this.buf.writeInt32BE(value, this.at + 4);
    this.at += 8;
    return this;
  }

  /**
   * A bigint column; ids come as decimal strings (exact beyond 2^53). Ids of
   * up to 15 digits (Shopify's have 10 to 13) are written as two 32-bit
   * halves of an exact number, without a BigInt per row (a million rows per
   * recompute chunk step); anything else goes through BigInt.
   */
  int8(value: string | bigint | number): this {
    this.ensure(12);
    this.buf.writeInt32BE(8, this.at);
    if (typeof value === "string" && isShortDecimal(value)) this.writeInt64(Number(value), this.at + 4);
    else this.buf.writeBigInt64BE(typeof value === "bigint" ? value : BigInt(value), this.at + 4);
    this.at += 12;
    return this;
  }

  text(value: string | null | undefined): this {
    if (value === null || value === undefined) return this.null();
    this.ensure(4 + value.length * 3);
    const n = this.buf.write(value, this.at + 4, "utf8");
    this.buf.writeInt32BE(n, this.at);
    this.at += 4 + n;
    return this;
  }

  bytes(value: Uint8Array): this {
    if (value.byteLength < PASS_THROUGH) {
      this.ensure(4 + value.byteLength);
      this.buf.writeInt32BE(value.byteLength, this.at);
      this.buf.set(value, this.at + 4);
      this.at += 4 + value.byteLength;
      return this;
    }
    this.ensure(4);
    this.buf.writeInt32BE(value.byteLength, this.at);
    this.at += 4;
    this.flush();
    this.chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return this;
  }

  /** A `timestamp` (without time zone) column holding UTC wall time, as Prisma stores DateTime. */
  timestamp(value: Date): this {
    this.ensure(12);
    this.buf.writeInt32BE(8, this.at);
    // Rows of one COPY mostly carry the same instant: its microseconds are kept.
    const ms = value.getTime();
    if (ms !== this.stampMs) {
      const us = (ms - PG_EPOCH_MS) * 1000;
      // Exact as a number for any instant within about 285 years of 2000; beyond, BigInt's (which throws for an invalid date).
      this.stampUs = Number.isSafeInteger(us) ? us : BigInt(ms - PG_EPOCH_MS) * 1000n;
      this.stampMs = ms;
    }
    if (typeof this.stampUs === "number") this.writeInt64(this.stampUs, this.at + 4);
    else this.buf.writeBigInt64BE(this.stampUs, this.at + 4);
    this.at += 12;
    return this;
  }

  /** A safe integer as a big-endian int64 at `at`: its high and low 32 bits. */
  private writeInt64(n: number, at: number): void {
    const high = Math.floor(n / 0x1_0000_0000);
    this.buf.writeInt32BE(high, at);
    this.buf.writeUInt32BE(n - high * 0x1_0000_0000, at + 4);
  }

  textArray(values: readonly string[] | null | undefined): this {
    if (values === null || values === undefined) return this.null();
    // One native write for the whole array: the elements joined, each after a
    // 4-character placeholder for its length. When the text is ASCII (bytes
    // written = characters), the lengths are the string lengths and are
    // patched in; otherwise element by element. Millions of short strings
    // go through here, and a native call per element cost more than the bytes.
    let joined = "";
    for (let i = 0; i < values.length; i++) joined += LENGTH_PLACEHOLDER + values[i];
    this.ensure(4 + 20 + joined.length * 3);
    const start = this.at;
    const body = this.arrayHeader(start + 4, values.length, TEXT_OID);
    const written = joined.length === 0 ? 0 : this.buf.write(joined, body, "utf8");
    let at = body;
    if (written === joined.length) {
      for (let i = 0; i < values.length; i++) {
        this.buf.writeInt32BE(values[i].length, at);
        at += 4 + values[i].length;
      }
    } else {
      for (let i = 0; i < values.length; i++) {
        const n = this.buf.write(values[i], at + 4, "utf8");
        this.buf.writeInt32BE(n, at);
        at += 4 + n;
      }
    }
    this.buf.writeInt32BE(at - start - 4, start);
    this.at = at;
    return this;
  }

  int4Array(values: ArrayLike<number> | null | undefined): this {
    if (values === null || values === undefined) return this.null();
    this.ensure(4 + 20 + values.length * 8);
    const start = this.at;
    let at = this.arrayHeader(start + 4, values.length, INT4_OID);
    for (let i = 0; i < values.length; i++) {
      this.buf.writeInt32BE(4, at);
      this.buf.writeInt32BE(values[i], at + 4);
      at += 8;
    }
    this.buf.writeInt32BE(at - start - 4, start);
    this.at = at;
    return this;
  }

  /**
   * The full chunks written so far, handed over (they are not returned again):
   * a caller streaming a COPY sends them while it goes on writing rows. The
   * chunk being filled stays, and finish() gives the rest.
   */
  take(): Buffer[] {
    return this.chunks.splice(0, this.chunks.length);
  }

  /** The payload (what take() has not handed over): signature, rows, trailer. The writer cannot be used afterwards. */
  finish(): Buffer[] {
    this.ensure(2);
    this.buf.writeInt16BE(-1, this.at);
    this.at += 2;
    this.flush();
    this.finished = true;
    return this.chunks;
  }

  /** Dimensions, null flag, element type; an empty array has no dimensions. */
  private arrayHeader(at: number, length: number, elementOid: number): number {
    this.buf.writeInt32BE(length === 0 ? 0 : 1, at);
    this.buf.writeInt32BE(0, at + 4);
    this.buf.writeInt32BE(elementOid, at + 8);
    if (length === 0) return at + 12;
    this.buf.writeInt32BE(length, at + 12);
    this.buf.writeInt32BE(1, at + 16);
    return at + 20;
  }

  private ensure(bytes: number): void {
    if (this.finished) throw new Error("BinaryCopyWriter: already finished");
    if (this.at + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
  }

  private flush(): void {
    if (this.at === 0) return;
    this.chunks.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.at = 0;
  }
}

/**
 * The rows of a binary COPY TO STDOUT payload (all CopyData concatenated):
 * each row's fields as byte views (null for NULL).
 */
export function parseBinaryCopy(payload: Buffer): Array<Array<Buffer | null>> {
  return parseBinaryCopyMessages([payload]);
}

/**
 * parseBinaryCopy over the data of a COPY TO's CopyData messages, without
 * joining them: PostgreSQL sends the header with the first row and every row
 * (and the trailer) in a message of its own, so each field is a view of the
 * message it came in. Should a row span two messages, the messages are joined
 * and parsed whole.
 */
export function parseBinaryCopyMessages(messages: readonly Buffer[]): Array<Array<Buffer | null>> {
  // A row (or the header) cut between messages: parsed again as one payload; a payload that is one already is cut short.
  const joined = () => {
    if (messages.length > 1) return parseBinaryCopyMessages([Buffer.concat(messages)]);
    throw new Error(messages[0].length < 19 ? "not a binary COPY payload" : "binary COPY payload cut short");
  };
  const rows: Array<Array<Buffer | null>> = [];
  for (let m = 0; m < messages.length; m++) {
    const message = messages[m];
    let at = 0;
    if (m === 0) {
      if (message.length < 19) return joined();
      if (!message.subarray(0, 11).equals(SIGNATURE)) throw new Error("not a binary COPY payload");
      at = 19 + message.readInt32BE(15); // header extension
      if (at > message.length) return joined();
    }
    while (at < message.length) {
      if (at + 2 > message.length) return joined();
      const fields = message.readInt16BE(at);
      at += 2;
      if (fields === -1) return m === messages.length - 1 ? rows : joined();
      const row: Array<Buffer | null> = [];
      for (let f = 0; f < fields; f++) {
        if (at + 4 > message.length) return joined();
        const n = message.readInt32BE(at);
        at += 4;
        if (n === -1) row.push(null);
        else {
          if (at + n > message.length) return joined();
          row.push(message.subarray(at, at + n));
          at += n;
        }
      }
      rows.push(row);
    }
  }
  if (messages.length === 0) throw new Error("not a binary COPY payload");
  return joined();
}
