/**
 * Node flags of the worker processes: a young generation of 64 MB semi-spaces
 * (V8's default is 16 MB) unless the flags or NODE_OPTIONS set one. A chunk of
 * a recompute builds tens of megabytes of short-lived rows; with the default,
 * garbage collection took a third of a chunk's time (bench/recompute.ts:
 * 20 chunks in 38.7 s instead of 42-45 s).
 */
export function workerExecArgv(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const flags = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  return flags.some((flag) => flag.startsWith("--max-semi-space-size"))
    ? [...execArgv]
    : [...execArgv, "--max-semi-space-size=64"];
}
