import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createQueue, type QueueBackend } from "../../app/queues/backend.server";

const PROCESSES = 3;
const PLAIN = 800;
const PARENTS = 40;
const CHILDREN = 10;
const JOBS = PLAIN + PARENTS * (1 + CHILDREN);

/** One worker process (tests/fixtures/batch-worker.ts) with its whole output, logs at debug level included. */
function startWorker(backend: QueueBackend) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/batch-worker.ts"], {
    env: {
      ...process.env,
      TEST_QUEUE_BACKEND: JSON.stringify(backend),
      LOG_LEVEL: "debug",
      BATCH_CHILDREN: String(CHILDREN),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** The JSON log lines (pino) of an output, without the fixture's own "ran"/"ready" lines. */
function logLines(output: string): Array<{ level: number; msg: string; [key: string]: unknown }> {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

describe("BullMQ's PostgreSQL backend with several worker processes", () => {
  it("processes a batch with no deadlock logged, no failed job and every job run once", async () => {
    const backend: QueueBackend = {
      kind: "postgres",
      databaseUrl: process.env.DATABASE_URL!,
      schema: `bullmq_${process.env.QUEUE_PREFIX!}`,
    };
    const queue = createQueue(backend, "batch");
    await queue.waitUntilReady();
    const workers = Array.from({ length: PROCESSES }, () => startWorker(backend));
    try {
      await waitFor(
        () => workers.every((worker) => worker.output().includes("ready")),
        () => workers.map((w) => w.output()).join("\n"),
      );
      // Half with the app's own retention, half with finished jobs removed
      // after a second, so that completions delete finished rows while other
      // processes complete theirs (the path that deadlocked).
      await queue.addBulk(
        Array.from({ length: JOBS }, (_, n) => ({
          name: "work",
          data: { n },
          opts: {
            jobId: `job-${n}`,
            // Some delayed (debounced re-segments and retries are delayed jobs, promoted by whichever worker fetches next).
            ...(n % 3 === 0 ? { delay: 50 + (n % 500) } : {}),
            ...(n % 2 ? { removeOnComplete: { age: 1 } } : {}),
          },
        })),
      );
      const ran = () => workers.flatMap((worker) => worker.output().match(/^ran \S+$/gm) ?? []);
      await waitFor(
        () => ran().length >= JOBS,
        () => `${ran().length} of ${JOBS} ran`,
        240_000,
      );
      // Let the last completions commit.
      await waitFor(
        async () => (await queue.getJobCounts("active")).active === 0,
        () => "jobs still active",
      );

      const runs = ran();
      expect(new Set(runs).size).toBe(JOBS);
      expect(runs.length).toBe(JOBS); // no job ran twice: no attempt was lost to a conflict
      expect(await queue.getJobCounts("failed", "waiting", "delayed")).toEqual({ failed: 0, waiting: 0, delayed: 0 });

      const logs = workers.flatMap((worker) => logLines(worker.output()));
      const warnings = logs.filter((line) => line.level >= 40);
      expect(warnings).toEqual([]);
      expect(workers.map((w) => w.output()).join("\n")).not.toMatch(/"level":(40|50|60)[^\n]*deadlock/);
      // How many statements the retry absorbed (reported, not asserted: it depends on timing).
      const absorbed = logs.filter((line) => /transient conflict/.test(line.msg)).length;
      console.info(`${PROCESSES} processes, ${JOBS} jobs: ${absorbed} statements run again after 40P01/40001`);
    } finally {
      for (const worker of workers) worker.child.kill("SIGTERM");
      await Promise.all(workers.map((worker) => worker.exited));
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 300_000);
});

async function waitFor(check: () => boolean | Promise<boolean>, describe: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
