import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The webhook subscriptions declared in shopify.app.toml, as the simulator's
 * installApp() takes them: the demo and tests subscribe exactly what
 * production declares. (A small reader for the one table we need; the file
 * is ours and regular.)
 */
export function appWebhookSubscriptions(root = process.cwd()): Array<{ topic: string; uri: string }> {
  const toml = readFileSync(path.join(root, "shopify.app.toml"), "utf8");
  const blocks = toml.split("[[webhooks.subscriptions]]").slice(1);
  return blocks.flatMap((block) => {
    const uri = /uri\s*=\s*"([^"]+)"/.exec(block)?.[1];
    const topics = /(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/.exec(block)?.[1];
    if (!uri || !topics) return [];
    return [...topics.matchAll(/"([^"]+)"/g)].map((match) => ({ topic: match[1], uri }));
  });
}

export function appScopes(root = process.cwd()): string[] {
  const toml = readFileSync(path.join(root, "shopify.app.toml"), "utf8");
  return (/^scopes\s*=\s*"([^"]*)"/m.exec(toml)?.[1] ?? "").split(",").filter(Boolean);
}
