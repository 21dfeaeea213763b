import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { cleanRedisPrefix } from "../helpers/queue-backends";

afterAll(async () => {
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

const MESSAGE =
  "Invalid environment: REDIS_URL is required in production (or set QUEUE_BACKEND=postgres to keep the job queue in PostgreSQL)";

/** A process as `npm start` / `npm run worker` run it, in production, with the test's database. */
function run(args: string[], env: Record<string, string | undefined>) {
  // The operator credentials production also requires (ADR 034) are given, so that only the queue backend is missing.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    METRICS_TOKEN: "production-start-test-token",
    OPS_USERNAME: "operator",
    OPS_PASSWORD: "production-start-test-password",
    ...env,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

const NO_BACKEND = { REDIS_URL: undefined, QUEUE_BACKEND: undefined };

describe("production start without an explicit queue backend", () => {
  it("the worker refuses to start, with one line naming REDIS_URL", async () => {
    const worker = run(["app/workers/main.ts"], { ...NO_BACKEND, WORKER_PROCESSES: "1" });
    expect(await worker.exited).toBe(1);
    expect(worker.stderr().trim()).toBe(MESSAGE);
    expect(worker.stdout()).not.toMatch(/queue backend/);
  });

  it("the web processes refuse to start, and npm start stops instead of replacing them", async () => {
    const web = run(["server/cluster.mjs", "tests/fixtures/production-app.ts"], {
      ...NO_BACKEND,
      WEB_CONCURRENCY: "2",
    });
    expect(await web.exited).toBe(1);
    const lines = web.stderr().trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2); // one per web process, each one line
    for (const line of lines) expect(line).toBe(MESSAGE);
  });

  it("QUEUE_BACKEND=postgres starts the worker on PostgreSQL without probing for Redis", async () => {
    const worker = run(["app/workers/main.ts"], {
      REDIS_URL: undefined,
      QUEUE_BACKEND: "postgres",
      WORKER_PROCESSES: "1",
    });
    const deadline = Date.now() + 60_000;
    while (!/worker ready/.test(worker.stdout()) && worker.child.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.stdout()).toMatch(/queue backend: PostgreSQL/);
    expect(worker.stderr()).toBe("");
  });
});
