// Small helpers shared by the simulator modules: ids, namespaces, time, interning, cursors.
import { GraphQLError } from "graphql";

export const API_VERSION = "2026-04";

/** The simulated app's id; "$app" metafield namespaces resolve to app--<id>. */
export const APP_ID = 4242424;
export const APP_NAMESPACE = `app--${APP_ID}`;

export function resolveNamespace(namespace: string | null | undefined): string {
  if (!namespace || namespace === "$app") return APP_NAMESPACE;
  if (namespace.startsWith("$app:")) return `${APP_NAMESPACE}--${namespace.slice(5)}`;
  return namespace;
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Parses `gid://shopify/Type/123` into its parts; null when it is not a GID. */
export function parseGid(value: string): { type: string; id: number } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match) return null;
  return { type: match[1], id: Number(match[2]) };
}

/** Timestamps are stored as whole seconds (Uint32) to keep columns compact. */
export function isoFromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
}

export function secondsFromIso(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`Invalid date: ${value}`);
  return Math.floor(ms / 1000);
}

/** Stable 32-bit hash of a number, used to derive fake personal data from ids. */
export function hashInt(value: number): number {
  let h = Math.imul((value % 2147483647) ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** String interning: columns hold small integers instead of repeated strings. */
export class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  intern(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }

  get(id: number): string {
    return this.values[id];
  }
}

export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ last_id: position }), "utf8").toString("base64");
}

export function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown };
    if (typeof parsed.last_id === "number" && Number.isInteger(parsed.last_id)) return parsed.last_id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor provided: ${cursor}`, {
    extensions: { code: "BAD_REQUEST" },
  });
}
