import { z } from "zod";

/**
 * Every environment variable the web app and the worker read, validated once
 * at start-up. A missing or malformed variable stops the process with a
 * message that names it (see `loadEnv`).
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

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: urlWithProtocol(["http:", "https:"]),
  SCOPES: z
    .string()
    .min(1)
    .default("read_orders,read_all_orders,read_customers,write_customers,read_discounts,write_discounts"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: urlWithProtocol(["postgresql:", "postgres:"]).default(DEFAULT_DATABASE_URL),
  // Unset: use a Redis on 127.0.0.1:6379 if one answers, else the PostgreSQL
  // queue backend. Set to "postgres" to force the PostgreSQL backend.
  REDIS_URL: z.union([z.literal("postgres"), urlWithProtocol(["redis:", "rediss:"])]).optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, "may contain only letters, digits, - and _")
    .default("segments"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // Worker processes (`npm run worker`); default one per core, so CPU-bound
  // jobs such as recompute chunks run in parallel.
  WORKER_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
  // Development and tests only: send Admin API calls to the local store
  // simulator instead of https://<shop>/admin. Refused in production.
  SHOPIFY_ADMIN_API_ORIGIN: urlWithProtocol(["http:", "https:"]).optional(),
  // Development and demo only: serve the dashboard at /preview without
  // Shopify admin around it, for the shop named here. Refused in production.
  LOCAL_PREVIEW_SHOP: z.string().optional(),
  // Development and demo only: compute segments as of this instant instead of
  // now (the demo's data set ends in 2011). Refused in production.
  SEGMENTS_AS_OF: z.iso.datetime({ offset: true }).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Validates `source` (process.env by default); throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Treat empty strings as unset, as dotenv files often leave `KEY=`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const message = issue.code === "invalid_type" && cleaned[name] === undefined ? "is required" : issue.message;
        return `${name} ${message}`;
      }),
    );
  }
  const env = result.data;
  if (env.NODE_ENV === "production") {
    for (const name of ["SHOPIFY_ADMIN_API_ORIGIN", "LOCAL_PREVIEW_SHOP", "SEGMENTS_AS_OF"] as const) {
      if (env[name]) throw new EnvError([`${name} must not be set in production`]);
    }
  }
  return env;
}

let cached: Env | undefined;

/** The validated environment; validated on first use and cached. */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
