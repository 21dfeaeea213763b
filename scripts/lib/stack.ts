/**
 * Starts the app locally: services (PostgreSQL, Redis if any), migrations, the
 * worker and the Remix dev server. Used by `npm run local` and `npm run demo`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseOn, ensureDatabase, ensureServices, type ServicesResult } from "../services";
import { applyMigrations } from "../migrate";
import { childProcessEnv, queueEnv, scriptEnv } from "../../app/config/env.server";
import { LOCAL_REDIS } from "../services";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface LocalEnvironment {
  env: NodeJS.ProcessEnv;
  services: ServicesResult;
}

/** Services up, database created and migrated; returns the env for child processes. */
export async function prepareLocalEnvironment(options: {
  database?: string;
  extraEnv?: Record<string, string>;
  quiet?: boolean;
}): Promise<LocalEnvironment> {
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const services = await ensureServices({ postgres: true, redis: true, quiet: options.quiet, root: ROOT });
  const given = scriptEnv();
  const databaseUrl = given.DATABASE_URL ?? databaseOn(services.postgresUrl, options.database ?? "segments_dev");
  const name = new URL(databaseUrl).pathname.slice(1);
  await ensureDatabase(services.postgresUrl, name);
  await applyMigrations(databaseUrl);
  const port = String(given.PORT);
  // The queue backend is named for the app's processes, never probed for: the
  // local Redis when there is one, else BullMQ's PostgreSQL backend.
  const queue = queueEnv();
  const queueChoice =
    queue.REDIS_URL || queue.QUEUE_BACKEND
      ? {}
      : services.redis === "absent"
        ? { QUEUE_BACKEND: "postgres" }
        : { REDIS_URL: LOCAL_REDIS };
  const env = childProcessEnv({
    ...queueChoice,
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: given.SHOPIFY_API_KEY ?? "local-dev-api-key",
    SHOPIFY_API_SECRET: given.SHOPIFY_API_SECRET ?? "local-dev-api-secret",
    SHOPIFY_APP_URL: given.SHOPIFY_APP_URL ?? `http://127.0.0.1:${port}`,
    PORT: port,
    ...options.extraEnv,
  });
  return { env, services };
}

export interface RunningStack {
  url: string;
  children: ChildProcess[];
  stop(): Promise<void>;
}

/** Each process's output: prefixed on stderr, or, with a log directory, into `<label>.log` there. */
function start(command: string, args: string[], env: NodeJS.ProcessEnv, label: string, logDir?: string): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    const file = createWriteStream(path.join(logDir, `${label}.log`), { flags: "a" });
    child.stdout?.pipe(file, { end: false });
    child.stderr?.pipe(file, { end: false });
    child.once("exit", () => file.end());
    return child;
  }
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((line) => `[${label}] ${line}\n`)
      .join("");
  child.stdout?.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  return child;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The app did not become healthy at ${url}/healthz within ${timeoutMs / 1000}s (${last})`);
}

/**
 * Starts the worker and the web app; resolves once /healthz answers 200.
 * With `logDir`, their logs go to worker.log and web.log there instead of the terminal.
 */
export async function startStack(local: LocalEnvironment, options: { logDir?: string } = {}): Promise<RunningStack> {
  const { env } = local;
  const { logDir } = options;
  const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
  const worker = start(bin("tsx"), ["app/workers/main.ts"], { ...env, SERVICE_NAME: "worker" }, "worker", logDir);
  const web = start(
    bin("remix"),
    ["vite:dev", "--host", "127.0.0.1", "--port", String(env.PORT), "--strictPort"],
    { ...env, SERVICE_NAME: "web" },
    "web",
    logDir,
  );
  const children = [worker, web];
  const url = `http://127.0.0.1:${env.PORT}`;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
          }),
      ),
    );
    await local.services.stop();
  };
  for (const child of children) {
    child.once("exit", (code) => {
      if (!stopping && code !== 0) {
        const where = logDir ? ` (its log: ${path.relative(ROOT, logDir)})` : "";
        process.stderr.write(`a process of the app exited with code ${code}${where}\n`);
      }
    });
  }
  try {
    await waitForHealth(url, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, children, stop };
}
