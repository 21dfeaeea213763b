import { z } from "zod";

/**
 * Every environment variable the web app, the worker, the scripts and the
 * benchmarks read, validated here and nowhere else: no other module reads
 * process.env (an ESLint rule enforces it). A missing or malformed variable
 * stops the process with a message that names it.
 *
 * The variables come in parts, so a process validates only what it uses: a
 * script that only needs the database does not need the Shopify credentials.
 *   databaseEnv()  DATABASE_URL and the pool size (stores, migrations)
 *   queueEnv()     the job queue backend
 *   runtimeEnv()   logging, the segmentation clock (pure jobs and tests)
 *   env()          all of the web app and the worker
 *   scriptEnv()    the demo, local stack and benchmark knobs
 */
const urlWithProtocol = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.join(" or ")}//` },
  );

export const DEFAULT_DATABASE_URL = "postgresql://root@127.0.0.1:5432/segments_dev";
const DEFAULT_SCOPES = "read_orders,read_all_orders,read_customers,write_customers,read_discounts,write_discounts";

const nodeEnv = z.enum(["development", "test", "production"]).default("development");

const runtimeSchema = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** The `service` field of every log line (web, worker, ...). */
  SERVICE_NAME: z.string().default("segments"),
  // Development and demo only: compute segments as of this instant instead of
  // now (the demo's data set ends in 2011). Refused in production.
  SEGMENTS_AS_OF: z.iso.datetime({ offset: true }).optional(),
  /** Customers per recompute chunk job (an operational knob; tests use small chunks). */
  RECOMPUTE_CHUNK_SIZE: z.coerce.number().int().min(1).optional(),
  /**
   * Worker threads reading a full recompute's orders, each over a customer id
   * range with its own connection (default 1: the job's thread reads). ADR
   * 040: 2 on 2 cores read a million customers 27% faster and took 700 MB more.
   */
  RECOMPUTE_READ_THREADS: z.coerce.number().int().min(1).max(16).optional(),
  /**
   * Members from which a shop's admin figures (segment totals, RFM grid,
   * predicted-value distribution) are computed by the worker and stored
   * instead of aggregated per page view (ADR 054).
   */
  ADMIN_FIGURES_STORED_FROM: z.coerce.number().int().min(0).default(50_000),
  /**
   * How long the insights page waits for the model's check of its segments
   * before it is sent without it and the check follows (ADR 055).
   */
  INSIGHTS_CHECK_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(300),
  /** Node's own options, read to pass the same flags on to worker processes. */
  NODE_OPTIONS: z.string().optional(),
  /** glibc's malloc settings, read to leave a deployment's own in place for the worker processes (ADR 062). */
  MALLOC_MMAP_THRESHOLD_: z.string().optional(),
  GLIBC_TUNABLES: z.string().optional(),
});

const databaseSchema = z.object({
  NODE_ENV: nodeEnv,
  DATABASE_URL: urlWithProtocol(["postgresql:", "postgres:"]).default(DEFAULT_DATABASE_URL),
  /** Connections of each process's pg pool (COPY paths); Prisma has its own pool. */
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  /**
   * Connections of each process's Prisma pool. With the defaults a process
   * holds at most 5 + 4 = 9 connections: 4 web and 4 worker processes 72, under
   * PostgreSQL's default max_connections of 100 (docs/deploy.md).
   */
  PRISMA_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
});

const queueSchema = z.object({
  NODE_ENV: nodeEnv,
  DATABASE_URL: databaseSchema.shape.DATABASE_URL,
  // The job queue: Redis at REDIS_URL, or BullMQ's PostgreSQL backend with
  // QUEUE_BACKEND=postgres. Production must say which (see queueBackendChoice);
  // in development an unset choice means a local Redis if one answers, else PostgreSQL.
  REDIS_URL: urlWithProtocol(["redis:", "rediss:"]).optional(),
  QUEUE_BACKEND: z.enum(["redis", "postgres"]).optional(),
  // Redis Cluster: a hash-tagged prefix ("{segments}", the default) keeps
  // every key of a queue in one slot, as BullMQ's Lua scripts need.
  QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[a-z0-9_-]+\}|[a-z0-9_-]+)$/i, "may contain only letters, digits, - and _, optionally in {braces}")
    .default("{segments}"),
});

const appSchema = runtimeSchema
  .extend(databaseSchema.shape)
  .extend(queueSchema.shape)
  .extend({
    SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
    SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
    SHOPIFY_APP_URL: urlWithProtocol(["http:", "https:"]),
    SCOPES: z.string().min(1).default(DEFAULT_SCOPES),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().optional(),
    /** Web processes of `npm start`; default one per core. */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    // Worker processes (`npm run worker`); default one per core, so CPU-bound
    // jobs such as recompute chunks run in parallel.
    WORKER_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
    // The queues this worker deployment serves (comma-separated names, default
    // all): bulk work (shop-sync: backfills, reconciliations) can run on
    // processes of its own, apart from the per-order path (ADR 035).
    WORKER_QUEUES: z
      .string()
      .regex(/^[a-z-]+(,[a-z-]+)*$/, "must be queue names separated by commas")
      .optional(),
    // Development and tests only: send Admin API calls to the local store
    // simulator instead of https://<shop>/admin. Refused in production.
    SHOPIFY_ADMIN_API_ORIGIN: urlWithProtocol(["http:", "https:"]).optional(),
    // Development and demo only: serve the admin pages at /preview without
    // Shopify admin around it, for the shop named here. Refused in production.
    LOCAL_PREVIEW_SHOP: z.string().optional(),
    /** The bearer token /metrics requires (and the worker's metrics port). Required in production. */
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    /** The worker's Prometheus endpoint (`/metrics` on this port, same token); 0 turns it off. */
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    /** The operator's credentials for /ops/queues (HTTP basic auth). Required in production. */
    OPS_USERNAME: z.string().min(1).optional(),
    OPS_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  });

const scriptSchema = z.object({
  NODE_ENV: nodeEnv,
  DATABASE_URL: urlWithProtocol(["postgresql:", "postgres:"]).optional(),
  /** The PostgreSQL server the benchmarks create their databases on. */
  BENCH_POSTGRES_URL: urlWithProtocol(["postgresql:", "postgres:"]).optional(),
  /** The PostgreSQL server the tests create their databases on. */
  TEST_POSTGRES_URL: urlWithProtocol(["postgresql:", "postgres:"]).optional(),
  /** Chromium for the browser tests and screenshots. */
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
  /** Set by CI; scripts print less. */
  CI: z.string().optional(),
  LOG_LEVEL: runtimeSchema.shape.LOG_LEVEL,
  /** The local stack's and demo's web port, and the credentials the local stack uses unless given. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SHOPIFY_API_KEY: z.string().optional(),
  SHOPIFY_API_SECRET: z.string().optional(),
  SHOPIFY_APP_URL: z.string().optional(),
  /** Where the local stack and the demo look for PostgreSQL and Redis (scripts/services.ts); default 5432, 6379. */
  LOCAL_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(5432),
  LOCAL_REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6379),
  /** The recompute benchmark's database, handed to its chunk worker processes. */
  BENCH_CHUNK_DATABASE: z.string().optional(),
  /** The webhook bench's floor server settings (JSON: port, secret, queue prefix, Redis URL). */
  BENCH_FLOOR_SERVER: z.string().optional(),
});

export type Env = z.infer<typeof appSchema>;
export type RuntimeEnv = z.infer<typeof runtimeSchema>;
export type DatabaseEnv = z.infer<typeof databaseSchema>;
export type QueueEnv = z.infer<typeof queueSchema>;
export type ScriptEnv = z.infer<typeof scriptSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    // One problem, one line (what a process prints before it exits); several, a list.
    super(
      problems.length === 1
        ? `Invalid environment: ${problems[0]}`
        : `Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "EnvError";
  }
}

type Source = Record<string, string | undefined>;

function parseWith<S extends z.ZodType>(schema: S, source: Source): z.output<S> {
  // Treat empty strings as unset, as dotenv files often leave `KEY=`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const message = issue.code === "invalid_type" && cleaned[name] === undefined ? "is required" : issue.message;
        return `${name} ${message}`;
      }),
    );
  }
  return result.data;
}

const DEVELOPMENT_ONLY = ["SHOPIFY_ADMIN_API_ORIGIN", "LOCAL_PREVIEW_SHOP", "SEGMENTS_AS_OF"] as const;

/** Validates the web app's and worker's environment (process.env by default); throws EnvError naming each bad variable. */
export function parseEnv(source: Source = process.env): Env {
  const parsed = parseWith(appSchema, source);
  if (parsed.NODE_ENV === "production") {
    for (const name of DEVELOPMENT_ONLY) {
      if (parsed[name]) throw new EnvError([`${name} must not be set in production`]);
    }
    queueBackendChoice(parsed);
    requireOperatorAccess(parsed);
  }
  return parsed;
}

/** Production refuses to start without the credentials that guard /metrics and /ops/queues. */
function requireOperatorAccess(parsed: Env): void {
  const missing = [
    !parsed.METRICS_TOKEN && "METRICS_TOKEN is required in production (the bearer token /metrics requires)",
    !parsed.OPS_USERNAME && "OPS_USERNAME is required in production (the operator's user for /ops/queues)",
    !parsed.OPS_PASSWORD && "OPS_PASSWORD is required in production (the operator's password for /ops/queues)",
  ].filter((problem): problem is string => Boolean(problem));
  if (missing.length) throw new EnvError(missing);
}

/**
 * The queue backend the environment asks for: "redis" (REDIS_URL), "postgres"
 * (QUEUE_BACKEND=postgres), or "probe" (development only: a local Redis if
 * one answers, else PostgreSQL). Production never probes: web and worker
 * processes must agree, or webhooks are answered but never processed.
 */
export function queueBackendChoice(config: QueueEnv): "redis" | "postgres" | "probe" {
  if (config.QUEUE_BACKEND === "redis" && !config.REDIS_URL) {
    throw new EnvError(["REDIS_URL is required when QUEUE_BACKEND=redis"]);
  }
  if (config.QUEUE_BACKEND === "postgres" && config.REDIS_URL) {
    throw new EnvError(["REDIS_URL must not be set when QUEUE_BACKEND=postgres (choose one queue backend)"]);
  }
  if (config.QUEUE_BACKEND) return config.QUEUE_BACKEND;
  if (config.REDIS_URL) return "redis";
  if (config.NODE_ENV === "production") {
    throw new EnvError([
      "REDIS_URL is required in production (or set QUEUE_BACKEND=postgres to keep the job queue in PostgreSQL)",
    ]);
  }
  return "probe";
}

const caches = new Map<z.ZodType, unknown>();

function cached<T>(schema: z.ZodType, parse: () => T): T {
  if (!caches.has(schema)) caches.set(schema, parse());
  return caches.get(schema) as T;
}

/** The validated environment of the web app and the worker; validated on first use and cached. */
export function env(): Env {
  return cached(appSchema, () => parseEnv());
}

/** Logging and the segmentation clock: what pure jobs, scripts and tests need. */
export function runtimeEnv(): RuntimeEnv {
  return cached(runtimeSchema, () => {
    const parsed = parseWith(runtimeSchema, process.env);
    if (parsed.NODE_ENV === "production" && parsed.SEGMENTS_AS_OF) {
      throw new EnvError(["SEGMENTS_AS_OF must not be set in production"]);
    }
    return parsed;
  });
}

/** The database only (stores, migrations, scripts that need no Shopify credentials). */
export function databaseEnv(): DatabaseEnv {
  return cached(databaseSchema, () => parseWith(databaseSchema, process.env));
}

/** The job queue only. */
export function queueEnv(): QueueEnv {
  return cached(queueSchema, () => parseWith(queueSchema, process.env));
}

/** The scripts' and benchmarks' own variables. */
export function scriptEnv(): ScriptEnv {
  return cached(scriptSchema, () => parseWith(scriptSchema, process.env));
}

/**
 * The environment for a child process: the parent's, with `overrides` on top
 * (an undefined override removes the variable). The one sanctioned way to
 * hand the environment on without reading it elsewhere.
 */
export function childProcessEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/**
 * Sets variables for this process (scripts that configure the app they start
 * in-process, and test setup), and forgets the cached parts.
 */
export function setProcessEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  caches.clear();
}
