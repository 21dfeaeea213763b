import pino from "pino";
import { runtimeEnv } from "../config/env.server";
import { currentLogContext } from "../observability/log-context.server";

const config = runtimeEnv();

/** One structured logger for the web app and the worker (JSON lines on stdout). */
export const logger = pino({
  level: config.LOG_LEVEL ?? (config.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: config.SERVICE_NAME },
  // Never log tokens or webhook bodies by accident.
  redact: ["accessToken", "*.accessToken", "headers.authorization", "body"],
  // The request id, shop, queue and job id of the request or job being served.
  mixin: () => ({ ...currentLogContext() }),
});

export type Logger = typeof logger;
