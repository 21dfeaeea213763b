// The highest sum of several processes' resident memory while a step runs:
// the recompute runs in the fit step's process and the chunk worker processes
// at once, and each one's own peak (maxRSS) says nothing of what they hold
// together. Sampled every 25 ms from /proc (Linux) by a small process of its
// own, so that neither the sampling nor its timers count in, or wait on, the
// processes measured (the fit step's process is busy for seconds at a time).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

const SAMPLER = `
const fs = require("node:fs");
const pids = process.argv.slice(1).map(Number);
let max = 0;
const sample = () => {
  let sum = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\\s+(\\d+) kB/.exec(fs.readFileSync("/proc/" + pid + "/status", "latin1"));
      if (m) sum += Number(m[1]);
    } catch {}
  }
  if (sum > max) max = sum;
};
sample();
const timer = setInterval(sample, 25);
process.stdin.resume();
process.stdin.on("end", () => {
  clearInterval(timer);
  sample();
  process.stdout.write(String(Math.round(max / 1024)));
});
`;

/** Starts sampling; `stop()` resolves with the highest sum in MB (null where /proc is absent). */
export function sampleSummedRss(pids: number[]): { stop(): Promise<number | null> } {
  if (!existsSync("/proc/self/status")) return { stop: async () => null };
  const child = spawn(process.execPath, ["-e", SAMPLER, ...pids.map(String)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", () => resolve(out ? Number(out) : null)));
  return {
    stop() {
      child.stdin.end();
      return exited;
    },
  };
}
