// The movement matrix between the segments of one family over a period:
// rows are the segments customers were in on the first day, columns where
// those customers are at the end: a segment of the family, no segment of
// the family, or gone from the store's data (in no segment at all).

export const NO_SEGMENT = "none";
export const LEFT_STORE = "left";

/** Customers grouped by what they were in at the start and are in at the end. */
export interface MovementGroup {
  /** A segment of the family the customers were in at the start. */
  start: string;
  /** The family's segments they are in at the end (any order). */
  endSegments: readonly string[];
  /** Whether they are in any segment of any family at the end. */
  inStoreData: boolean;
  customers: number;
}

export interface MovementMatrix {
  family: string;
  /** Row keys: the family's segments, in catalog order. */
  rows: string[];
  /** Column keys: the family's segments, then NO_SEGMENT and LEFT_STORE. */
  columns: string[];
  /** counts[row][column]. */
  counts: number[][];
  /** Members of each row's segment at the start (each row's sum). */
  startSizes: number[];
}

/**
 * Where one customer of `start` lands: in `start` still if they stayed
 * (families that allow several segments keep a stayer on the diagonal),
 * otherwise the first of their end segments in catalog order.
 */
function column(group: MovementGroup, segments: readonly string[]): string {
  if (group.endSegments.includes(group.start)) return group.start;
  for (const segment of segments) if (group.endSegments.includes(segment)) return segment;
  return group.inStoreData ? NO_SEGMENT : LEFT_STORE;
}

/** Builds the matrix; every customer of a row's start segment is counted exactly once in that row. */
export function buildMovementMatrix(
  family: string,
  segments: readonly string[],
  groups: readonly MovementGroup[],
): MovementMatrix {
  const columns = [...segments, NO_SEGMENT, LEFT_STORE];
  const rowIndex = new Map(segments.map((s, i) => [s, i]));
  const columnIndex = new Map(columns.map((s, i) => [s, i]));
  const counts = segments.map(() => columns.map(() => 0));
  const startSizes = segments.map(() => 0);
  for (const group of groups) {
    const r = rowIndex.get(group.start);
    if (r === undefined) continue; // a segment no longer in the catalog
    counts[r][columnIndex.get(column(group, segments))!] += group.customers;
    startSizes[r] += group.customers;
  }
  return { family, rows: [...segments], columns, counts, startSizes };
}
