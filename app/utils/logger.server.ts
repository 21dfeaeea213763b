import pino from "pino";

/** One structured logger for the web app and the worker (JSON lines on stdout). */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: process.env.SERVICE_NAME ?? "segments" },
  // Never log tokens or webhook bodies by accident.
  redact: ["accessToken", "*.accessToken", "headers.authorization", "body"],
});

export type Logger = typeof logger;
