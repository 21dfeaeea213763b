// The recompute's read thread in a process without the tsx loader (vitest):
// registers tsx in the thread, then runs ./read-features.thread.ts. Processes
// started with tsx (npm run worker, the benchmarks) and the production bundle
// start the thread's script directly (./read-features-on-cores.server.ts).
import { register } from "tsx/esm/api";

register();
await import("./read-features.thread.ts");
