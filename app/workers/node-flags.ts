/**
 * Node flags of the worker processes, unless the flags or NODE_OPTIONS set
 * them already:
 * - a young generation of 64 MB semi-spaces (V8's default is 16 MB): a chunk
 *   of a recompute builds tens of megabytes of short-lived rows; with the
 *   default, garbage collection took a third of a chunk's time
 *   (bench/recompute.ts: 20 chunks in 38.7 s instead of 42-45 s);
 * - gc exposed, so that a job that dropped hundreds of megabytes (a
 *   recompute's fit step) can have them collected at once (collectGarbage,
 *   ADR 057).
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const flags = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  const out = [...execArgv];
  if (!flags.some((flag) => flag.startsWith("--max-semi-space-size"))) out.push("--max-semi-space-size=64");
  if (!flags.includes("--expose-gc")) out.push("--expose-gc");
  return out;
}
