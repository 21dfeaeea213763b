import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { createQueue } from "../../app/queues/backend.server";
import { cleanRedisPrefix, testQueueBackends } from "../helpers/queue-backends";

afterAll(async () => {
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

describe.each(testQueueBackends())("worker shutdown on SIGTERM ($kind)", (backend) => {
  it("finishes the job in flight, then exits 0", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/slow-worker.ts"], {
      env: { ...process.env, TEST_QUEUE_BACKEND: JSON.stringify(backend), SLOW_JOB_MS: "1500" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    await waitFor(
      () => output.includes("ready"),
      () => output,
    );
    const queue = createQueue(backend, "slow-work");
    const shop = `shutdown-${backend.kind}.myshopify.com`;
    const job = await queue.add("work", { shop }, { jobId: `shutdown-${backend.kind}` });
    await waitFor(
      () => output.includes(`started ${job.id}`),
      () => output,
    );

    child.kill("SIGTERM");
    expect(await exited).toBe(0);

    // The job was not lost: it completed before the process exited.
    expect(await (await queue.getJob(job.id!))?.getState()).toBe("completed");
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(1);
    await queue.close();
  });
});

async function waitFor(check: () => boolean, describe: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; worker output:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
