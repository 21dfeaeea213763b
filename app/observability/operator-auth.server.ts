import { createHash, timingSafeEqual } from "node:crypto";
import type { Logger } from "../utils/logger.server";

/** Constant-time equality of two secrets (hashed first, so lengths do not leak). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

export type AuthFailure = "missing" | "malformed" | "wrong";

/** `Authorization: Bearer <token>` against the expected token; the reason when refused. */
export function checkBearer(header: string | null | undefined, token: string): AuthFailure | null {
  if (!header) return "missing";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return "malformed";
  return sameSecret(match[1], token) ? null : "wrong";
}

/** `Authorization: Basic <base64 user:password>` against the operator's credentials. */
export function checkBasic(
  header: string | null | undefined,
  credentials: { username: string; password: string },
): AuthFailure | null {
  if (!header) return "missing";
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return "malformed";
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  const userOk = sameSecret(decoded.slice(0, colon), credentials.username);
  const passwordOk = sameSecret(decoded.slice(colon + 1), credentials.password);
  return userOk && passwordOk ? null : "wrong";
}

/**
 * Logs a refused operator request: what was asked and why it was refused,
 * never the header or the credentials given.
 */
export function logRefused(
  logger: Logger,
  what: "metrics" | "ops",
  details: { reason: AuthFailure; path: string; ip?: string | null; requestId?: string },
): void {
  logger.warn({ area: what, ...details }, `${what}: unauthorized request refused`);
}
