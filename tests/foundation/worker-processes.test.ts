import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { cleanRedisPrefix } from "../helpers/queue-backends";

afterAll(async () => {
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

const started: ChildProcess[] = [];

// A test that fails before it stops its worker must not leave it (and the child it supervises) running.
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM"); // passed on to its processes
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!stopped) child.kill("SIGKILL");
  }
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
  started.push(child);
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

/** The children of a process (Linux's /proc). */
function childPids(pid: number): string[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
}

/** The command lines of a process's children. */
function childCommandLines(pid: number): string[][] {
  return childPids(pid).map((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").filter(Boolean));
}

/** The environment of a process's children, as NAME=value strings. */
function childEnvironments(pid: number): string[][] {
  return childPids(pid).map((child) => readFileSync(`/proc/${child}/environ`, "utf8").split("\0").filter(Boolean));
}

describe("npm run worker with WORKER_PROCESSES=1: the jobs run under the worker's node flags", () => {
  it("started without them, runs its one process as a supervised child that has them", async () => {
    const worker = startWorker({ WORKER_PROCESSES: "1", NODE_OPTIONS: "" });
    await waitFor(() => /worker ready/.test(worker.output()), worker.output);
    const children = childCommandLines(worker.child.pid!);
    expect(children).toHaveLength(1);
    expect(children[0]).toEqual(expect.arrayContaining(["--max-semi-space-size=32", "--expose-gc"]));
    // glibc's fixed mmap threshold (ADR 062), in the child's environment from its start.
    expect(childEnvironments(worker.child.pid!)[0]).toContain("MALLOC_MMAP_THRESHOLD_=131072");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/worker stopped/);
  });

  it("started with the flags but without the worker's environment, supervises a child that has it", async () => {
    const worker = startWorker({ WORKER_PROCESSES: "1", NODE_OPTIONS: "" }, [
      "--max-semi-space-size=32",
      "--expose-gc",
    ]);
    await waitFor(() => /worker ready/.test(worker.output()), worker.output);
    const environments = childEnvironments(worker.child.pid!);
    expect(environments).toHaveLength(1);
    expect(environments[0]).toContain("MALLOC_MMAP_THRESHOLD_=131072");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });

  it("started with them, runs the jobs itself", async () => {
    const worker = startWorker({ WORKER_PROCESSES: "1", NODE_OPTIONS: "", MALLOC_MMAP_THRESHOLD_: "131072" }, [
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
