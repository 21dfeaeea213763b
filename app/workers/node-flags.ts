/**
 * Node flags of the worker processes, unless the flags or NODE_OPTIONS set
 * them already:
 * - a young generation of 32 MB semi-spaces (V8's default is 16 MB): a chunk
 *   of a recompute builds tens of megabytes of short-lived rows; with the
 *   default, garbage collection took a third of a chunk's time
 *   (bench/recompute.ts: 20 chunks in 38.7 s instead of 42-45 s). 64 MB cost
 *   memory without speed once the rows lost their reasons: the recompute's
 *   processes held 1.50-1.74 GB at once on the next day's run, 1.42-1.47 GB
 *   with 32 MB, its steps as fast (ADR 061);
 * - gc exposed, so that a job that dropped hundreds of megabytes (a
 *   recompute's fit step) can have them collected at once (collectGarbage,
 *   ADR 057).
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const flags = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  const out = [...execArgv];
  if (!flags.some((flag) => flag.startsWith("--max-semi-space-size"))) out.push("--max-semi-space-size=32");
  if (!flags.includes("--expose-gc")) out.push("--expose-gc");
  return out;
}

/**
 * Whether a process started with these flags lacks a worker flag: then even a
 * single worker process runs as a supervised child that has them, rather
 * than as the process npm started (a fit step's dropped features would
 * otherwise stay until V8 next collects the old generation, ADR 057).
 */
export function lacksWorkerFlags(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return workerExecArgv(execArgv, nodeOptions).length > execArgv.length;
}
