import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { cleanRedisPrefix } from "../helpers/queue-backends";

afterAll(async () => {
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

/** `npm run worker` as deployed: app/workers/main.ts under tsx, with this test file's database and queue prefix. */
function startWorker(env: Record<string, string>, flags: string[] = []) {
  const child = spawn(process.execPath, [...flags, "--import", "tsx", "app/workers/main.ts"], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("npm run worker: one supervised process per WORKER_PROCESSES", () => {
  it("starts the processes, passes SIGTERM on and exits 0 when they have stopped", async () => {
    const worker = startWorker({ WORKER_PROCESSES: "2" });
    await waitFor(() => (worker.output().match(/worker ready/g) ?? []).length === 2, worker.output);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect((worker.output().match(/worker stopped/g) ?? []).length).toBe(2);
  });

  it("stops with exit 1 and the reason when its processes cannot start", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = "/no_such_database_for_workers";
    const worker = startWorker({ WORKER_PROCESSES: "2", DATABASE_URL: url.toString() });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(/Cannot reach PostgreSQL .*no_such_database_for_workers/);
  });
});

/** The command lines of a process's children (Linux's /proc). */
function childCommandLines(pid: number): string[][] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return children.map((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").filter(Boolean));
}

describe("npm run worker with WORKER_PROCESSES=1: the jobs run under the worker's node flags", () => {
  it("started without them, runs its one process as a supervised child that has them", async () => {
    const worker = startWorker({ WORKER_PROCESSES: "1", NODE_OPTIONS: "" });
    await waitFor(() => /worker ready/.test(worker.output()), worker.output);
    const children = childCommandLines(worker.child.pid!);
    expect(children).toHaveLength(1);
    expect(children[0]).toEqual(expect.arrayContaining(["--max-semi-space-size=32", "--expose-gc"]));
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/worker stopped/);
  });

  it("started with them, runs the jobs itself", async () => {
    const worker = startWorker({ WORKER_PROCESSES: "1", NODE_OPTIONS: "" }, [
      "--max-semi-space-size=32",
      "--expose-gc",
    ]);
    await waitFor(() => /worker ready/.test(worker.output()), worker.output);
    expect(childCommandLines(worker.child.pid!)).toEqual([]);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});

async function waitFor(check: () => boolean, describe: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; worker output:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
