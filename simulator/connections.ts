// Relay connections over store rows and Shopify's search syntax subset.
import { GraphQLError } from "graphql";
import { decodeCursor, encodeCursor, secondsFromIso } from "./util";

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  sortKey?: string | null;
  query?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
}

const MAX_PAGE = 250;

export function checkPageArgs(args: ConnectionArgs, fieldName: string, bulk: boolean): void {
  if (bulk) return; // bulk operations take connections without first/last
  if (args.first == null && args.last == null) {
    throw new GraphQLError("you must provide one of first or last", {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const size = args.first ?? args.last ?? 0;
  if (size < 0 || size > MAX_PAGE) {
    throw new GraphQLError(`The ${fieldName} connection accepts first/last between 0 and ${MAX_PAGE}, got ${size}`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
}

/**
 * Pages over an ordered sequence of row indexes. `length` and `at(position)`
 * describe the order; `positionOf(row)` maps a cursor back to a position.
 * Cursors encode the row index, so they stay valid while rows are appended.
 */
export function paginate<T>(
  sequence: {
    length: number;
    at: (position: number) => number;
    positionOf: (row: number) => number;
  },
  matches: (row: number) => boolean,
  args: ConnectionArgs,
  view: (row: number) => T,
): Connection<T> {
  const reverse = args.reverse === true;
  const n = sequence.length;
  const rowAt = (p: number) => sequence.at(reverse ? n - 1 - p : p);
  const posOf = (row: number) => {
    const p = sequence.positionOf(row);
    return reverse ? n - 1 - p : p;
  };
  let start = 0;
  let end = n; // exclusive
  if (args.after) start = posOf(decodeCursor(args.after)) + 1;
  if (args.before) end = posOf(decodeCursor(args.before));
  const rows: number[] = [];
  let hasNextPage = false;
  let hasPreviousPage = false;
  if (args.last != null && args.first == null) {
    for (let p = end - 1; p >= start; p--) {
      const row = rowAt(p);
      if (!matches(row)) continue;
      if (rows.length === args.last) {
        hasPreviousPage = true;
        break;
      }
      rows.push(row);
    }
    rows.reverse();
    hasNextPage = end < n;
  } else {
    const limit = args.first ?? Number.POSITIVE_INFINITY;
    for (let p = start; p < end; p++) {
      const row = rowAt(p);
      if (!matches(row)) continue;
      if (rows.length === limit) {
        hasNextPage = true;
        break;
      }
      rows.push(row);
    }
    hasPreviousPage = start > 0;
  }
  const edges = rows.map((row) => ({
    cursor: encodeCursor(row),
    node: view(row),
  }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}

export function arraySequence(rows: number[]) {
  const position = new Map<number, number>();
  rows.forEach((row, p) => position.set(row, p));
  return {
    length: rows.length,
    at: (p: number) => rows[p],
    positionOf: (row: number) => {
      const p = position.get(row);
      if (p === undefined)
        throw new GraphQLError("Invalid cursor", {
          extensions: { code: "BAD_REQUEST" },
        });
      return p;
    },
  };
}

export function identitySequence(length: number) {
  return {
    length,
    at: (p: number) => p,
    positionOf: (row: number) => {
      if (row < 0 || row >= length)
        throw new GraphQLError("Invalid cursor", {
          extensions: { code: "BAD_REQUEST" },
        });
      return row;
    },
  };
}

/** A permutation sorted by (key, row), with its inverse for cursor lookups. */
export function sortedSequence(length: number, key: (row: number) => number) {
  const keys = new Float64Array(length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = 0; i < length; i++) {
    const k = key(i);
    keys[i] = k;
    if (k < min) min = k;
    if (k > max) max = k;
    if (!Number.isInteger(k)) integral = false;
  }
  const order = new Int32Array(length);
  const rowSpan = 2 ** Math.ceil(Math.log2(length + 1));
  if (integral && length > 0 && (max - min + 1) * rowSpan < Number.MAX_SAFE_INTEGER) {
    // Pack (key, row) into one exact double and use the native typed sort:
    // a few hundred ms for millions of rows instead of seconds.
    const packed = new Float64Array(length);
    for (let i = 0; i < length; i++) packed[i] = (keys[i] - min) * rowSpan + i;
    packed.sort();
    for (let p = 0; p < length; p++) order[p] = packed[p] % rowSpan;
  } else {
    const rows = Array.from({ length }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    rows.forEach((row, p) => (order[p] = row));
  }
  const inverse = new Int32Array(length);
  for (let p = 0; p < length; p++) inverse[order[p]] = p;
  return {
    length,
    at: (p: number) => order[p],
    positionOf: (row: number) => inverse[row],
  };
}

// --- search syntax -------------------------------------------------------

export interface SearchTerm {
  /** The field name, or "default" for a free-text term without one. */
  field: string;
  op: ">" | ">=" | "<" | "<=" | "=";
  value: string;
  negated: boolean;
  /** Whether the value was quoted (a phrase: an exact match on tokenized fields). */
  quoted: boolean;
}

function searchError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });
}

const TERM = /(-?)(?:([a-z_]+):(>=|<=|>|<)?)?(?:'([^']*)'|"([^"]*)"|([^\s'"]+))/iy;

/**
 * Parses the subset of Shopify's search syntax the simulator supports:
 * `updated_at:>='2024-01-01T00:00:00Z' AND created_at:<2025-01-01 tag:vip -tag:x id:>123`,
 * and free-text terms (`Bob Norman`, `"Bob Norman"`) as field "default".
 * Terms are ANDed; OR is rejected with a clear error instead of being misread.
 */
export function parseSearchQuery(query: string | null | undefined): SearchTerm[] {
  if (!query || !query.trim()) return [];
  const terms: SearchTerm[] = [];
  let position = 0;
  while (position < query.length) {
    while (position < query.length && /\s/.test(query[position])) position++;
    if (position >= query.length) break;
    const word = /^(AND|OR)(?=\s|$)/.exec(query.slice(position));
    if (word?.[1] === "OR") throw searchError("The Shopify simulator does not support OR in search queries");
    if (word) {
      position += 3;
      continue;
    }
    TERM.lastIndex = position;
    const match = TERM.exec(query);
    if (!match) throw searchError(`The Shopify simulator could not parse the search query: ${query}`);
    position = TERM.lastIndex;
    const quoted = match[4] !== undefined || match[5] !== undefined;
    terms.push({
      negated: match[1] === "-",
      field: match[2]?.toLowerCase() ?? "default",
      op: (match[3] as SearchTerm["op"]) ?? "=",
      value: match[4] ?? match[5] ?? match[6],
      quoted,
    });
  }
  return terms;
}

function compare(actual: number, op: SearchTerm["op"], expected: number): boolean {
  switch (op) {
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    default:
      return actual === expected;
  }
}

export type FieldReader = (row: number) => number | string[] | string;

/** A field with its own matching rules (free text, tokenized emails...): term -> row predicate. */
export interface CustomField {
  matches: (term: SearchTerm) => (row: number) => boolean;
}

/**
 * Builds a row predicate. `fields` maps search field names to readers: numbers
 * (seconds for dates, ids) are compared with the operator; arrays (tags) test
 * membership; strings compare case-insensitively; custom fields match
 * themselves. Unknown fields raise an error naming them.
 */
export function searchPredicate(
  terms: SearchTerm[],
  fields: Record<string, FieldReader | CustomField>,
  resource: string,
  /** Maps an id's digits to the number readers return (a shop's local id); plain Number by default. */
  idValue: (digits: string) => number = Number,
): (row: number) => boolean {
  if (terms.length === 0) return () => true;
  const checks = terms.map((term) => {
    const reader = fields[term.field];
    if (!reader) {
      if (term.field === "default")
        throw searchError(`The Shopify simulator does not support free-text search on ${resource}: ${term.value}`);
      throw searchError(`The Shopify simulator does not support the search field '${term.field}' on ${resource}`);
    }
    if (typeof reader !== "function") {
      const custom = reader.matches(term);
      return term.negated ? (row: number) => !custom(row) : custom;
    }
    let expected: number | string;
    if (term.field.endsWith("_at")) expected = secondsFromIso(term.value);
    else if (term.field === "id" || term.field.endsWith("_id")) {
      const digits = term.value.replace(/^gid:\/\/shopify\/\w+\//, "");
      if (!/^\d+$/.test(digits))
        throw new GraphQLError(`Invalid id '${term.value}' in the search query`, {
          extensions: { code: "BAD_REQUEST" },
        });
      expected = idValue(digits);
    } else expected = term.value;
    const check = (row: number) => {
      const actual = reader(row);
      if (Array.isArray(actual)) return actual.some((v) => v.toLowerCase() === String(expected).toLowerCase());
      if (typeof actual === "number") return compare(actual, term.op, Number(expected));
      return actual.toLowerCase() === String(expected).toLowerCase();
    };
    return term.negated ? (row: number) => !check(row) : check;
  });
  return (row) => checks.every((check) => check(row));
}
