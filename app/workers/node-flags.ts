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

/** glibc's default mmap threshold before it adapts (128 KB), kept fixed in the worker processes. */
const WORKER_MMAP_THRESHOLD = 128 * 1024;

/** An environment (process.env, or the runtime environment parsed): its malloc settings are what is read. */
export interface MallocSettings {
  readonly MALLOC_MMAP_THRESHOLD_?: string;
  readonly GLIBC_TUNABLES?: string;
  readonly [name: string]: unknown;
}

/**
 * Variables the worker processes need in their environment at start, unless
 * it sets them already: glibc's malloc with a fixed mmap threshold of 128 KB
 * (`MALLOC_MMAP_THRESHOLD_`; read once, when a process starts). By default
 * glibc raises the threshold to the size of each large block freed, up to 32
 * MB, so after a chunk's 15 MB feature slice or a read's column buffers are
 * freed, the next ones come from its heap and stay counted in the process's
 * memory after they are freed; with the threshold fixed, every large buffer
 * is mapped on its own and given back when freed (ADR 062). Ignored by other
 * C libraries.
 */
export function workerEnv(env: MallocSettings): Record<string, string> {
  const set =
    env.MALLOC_MMAP_THRESHOLD_ !== undefined || /glibc\.malloc\.mmap_threshold=/.test(env.GLIBC_TUNABLES ?? "");
  return set ? {} : { MALLOC_MMAP_THRESHOLD_: String(WORKER_MMAP_THRESHOLD) };
}

/**
 * Whether a process started with these flags and this environment lacks a
 * worker flag or variable: then even a single worker process runs as a
 * supervised child that has them, rather than as the process npm started (a
 * fit step's dropped features would otherwise stay until V8 next collects the
 * old generation, ADR 057, and the memory it freed counted, ADR 062).
 */
export function lacksWorkerSettings(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
  env: MallocSettings,
): boolean {
  return workerExecArgv(execArgv, nodeOptions).length > execArgv.length || Object.keys(workerEnv(env)).length > 0;
}
