// `npm run bench [-- --json] [--only NAME]`: every benchmark of the project,
// each in its own process (so peak memory is its own), one report.
// With --json it prints one JSON object:
// {"cores":N, "engine":{...}, "recompute":{...}, "webhooks":{...}, "writeback":{...}, "backfill":{...}, "act":{...}}
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { childProcessEnv, runtimeEnv, scriptEnv } from "../app/config/env.server";
import { workerEnv, workerExecArgv } from "../app/workers/node-flags";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The parts: the file that measures each, the keys the report keeps, and node flags beyond the default ones. */
const PARTS: Record<string, { file: string; keys: string[]; nodeFlags?: string[]; env?: Record<string, string> }> = {
  engine: {
    file: "bench/engine.ts",
    keys: ["customers", "orders", "featuresMs", "fitMs", "assignMs", "peakRssMb", "threads", "loadAverage"],
  },
  recompute: {
    file: "bench/recompute.ts",
    keys: ["customers", "orders", "ms", "sqlFloorMs", "sqlDefaultPlanMs", "ratio", "peakRssMb", "loadAverage"],
    // Its fit step runs in a worker process in production: the worker's flags (32 MB semi-spaces) and
    // environment (ADR 062), whose memory counts in the peak (ADR 045).
    nodeFlags: workerExecArgv([], undefined),
    env: workerEnv(runtimeEnv()),
  },
  webhooks: {
    file: "bench/webhooks.ts",
    // requests..p99Ms: the steady state after the warm-up; cold*: the warm-up itself.
    keys: [
      "requests",
      "rps",
      "p50Ms",
      "p99Ms",
      "non2xx",
      "warmupRequests",
      "coldRps",
      "coldP50Ms",
      "coldP99Ms",
      "coldNon2xx",
      "floorRps",
      "floorP99Ms",
      "floorRatio",
      "loadAverage",
    ],
  },
  writeback: { file: "bench/writeback.ts", keys: ["changedCustomers", "apiCalls", "bulkOperations"] },
  backfill: { file: "bench/backfill.ts", keys: ["orders", "ms"] },
  act: {
    file: "bench/act.ts",
    keys: ["customers", "groupRows", "firstMs", "unchangedMs", "onePercentLeftMs", "peakRssMb"],
  },
};

function runPart(
  file: string,
  nodeFlags: string[] = [],
  env: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "--max-old-space-size=4096", file], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      env: childProcessEnv({ LOG_LEVEL: scriptEnv().LOG_LEVEL ?? "warn", ...env }),
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${file} exited with code ${code}`));
      try {
        resolve(JSON.parse(out.slice(out.indexOf("{"))));
      } catch {
        reject(new Error(`${file} did not print JSON:\n${out}`));
      }
    });
  });
}

const { values } = parseArgs({
  options: { json: { type: "boolean", default: false }, only: { type: "string", multiple: true } },
});
const names = values.only?.length ? values.only : Object.keys(PARTS);
for (const name of names) {
  if (!PARTS[name]) {
    console.error(`Unknown benchmark "${name}". Known: ${Object.keys(PARTS).join(", ")}`);
    process.exit(2);
  }
}

const report: Record<string, unknown> = { cores: os.cpus().length };
let failed = false;
for (const name of names) {
  const { file, keys, nodeFlags, env } = PARTS[name];
  if (!existsSync(path.join(ROOT, file))) continue; // a part whose issue has not landed
  if (!values.json) console.error(`running ${name}...`);
  try {
    const result = await runPart(file, nodeFlags, env);
    report[name] = Object.fromEntries(keys.map((key) => [key, result[key]]));
    if (!values.json) console.error(`${name}: ${JSON.stringify(result)}`);
  } catch (error) {
    failed = true;
    console.error(`${name} failed: ${error instanceof Error ? error.message : error}`);
  }
}
console.log(values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
process.exit(failed ? 1 : 0);
