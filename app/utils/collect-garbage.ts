// A full garbage collection on request, where the process allows it: the
// worker processes run with --expose-gc (workerExecArgv). V8 collects the old
// generation when it grows, not when a job drops a big structure: after a
// recompute's fit step what it read and cut (about 250 MB at a million
// customers) stayed resident while the chunk jobs ran beside it, and a first
// recompute's processes held 1.53-1.57 GB at once instead of 1.12-1.19
// (bench/recompute.ts, summedPeakRssMb; ADR 057).

/**
 * How much a job must have grown its process for what it dropped to be
 * collected at once when it ends (a recompute's fit step at a million
 * customers: about 800 MB; a small shop's job, a few MB, is left to V8 rather
 * than pause the process for a full collection).
 */
export const BIG_JOB_GARBAGE_BYTES = 128 * 1024 * 1024;

/** Collects garbage now if the process exposes gc (node --expose-gc); returns the ms spent, or null. */
export function collectGarbage(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") return null;
  const t0 = performance.now();
  gc();
  return performance.now() - t0;
}

/**
 * Collects garbage if the process's resident memory is `growthBytes` or more
 * above `since` (an earlier process.memoryUsage.rss()): a job that grew its
 * process that much has dropped enough to collect at once; a small one's
 * garbage is left to V8 (a full collection stops the process, and the jobs it
 * runs beside, for its duration). Returns the ms spent, or null.
 */
export function collectGarbageIfGrown(since: number, growthBytes: number): number | null {
  return process.memoryUsage.rss() - since >= growthBytes ? collectGarbage() : null;
}

/**
 * A check to call between the steps of a long job: it collects garbage once
 * the process's resident memory has grown by `growthBytes` since it last did
 * (or since the check was made). Cutting and writing a million customers'
 * slices leaves about 35 MB of encoded bytes and copies per slice behind,
 * which V8 left resident: the fit step's process grew to 970 MB while the
 * chunk processes ran (ADR 057).
 */
export function collectGarbageOnGrowth(growthBytes: number): () => void {
  let last = process.memoryUsage.rss();
  return () => {
    if (collectGarbageIfGrown(last, growthBytes) !== null) last = process.memoryUsage.rss();
  };
}
