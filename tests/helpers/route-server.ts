import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll } from "vitest";
import { appWebhookSubscriptions } from "../../scripts/lib/app-config";
import { cleanRedisPrefix } from "./queue-backends";
import { simulatedStore } from "./sim-app";

/**
 * Serves the app's real Remix route modules (action/loader) over HTTP without
 * a build, so the simulator can deliver webhooks to them in tests. URL
 * /webhooks/orders/create maps to app/routes/webhooks.orders.create.tsx, as
 * Remix's flat routes do.
 */
async function startRouteServer(): Promise<{ url: string; close(): Promise<void> }> {
  const modules = new Map<string, Promise<any>>();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const file = path.resolve("app/routes", `${url.pathname.slice(1).split("/").join(".")}.tsx`);
      let load = modules.get(file);
      if (!load) {
        load = import(file);
        modules.set(file, load);
      }
      const route = await load.catch(() => null);
      const handler = req.method === "GET" ? route?.loader : route?.action;
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      // The body streams into the route, as in server/http.mjs: the route decides how much of it to read.
      const request = new Request(url.toString(), {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream),
        duplex: "half",
      } as RequestInit);
      let response: Response;
      try {
        response = await handler({ request, params: {}, context: {} });
      } catch (thrown) {
        if (thrown instanceof Response) response = thrown;
        else throw thrown;
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a test file whose simulated stores deliver webhooks to the app's
 * routes: starts the route server before the file's tests, closes it and
 * clears the file's queue keys after them. `store` makes a simulated store
 * subscribed to the app's topics (shopify.app.toml), delivering to it.
 */
export function useWebhookRoutes() {
  let server: Awaited<ReturnType<typeof startRouteServer>> | undefined;
  beforeAll(async () => {
    server = await startRouteServer();
  });
  afterAll(async () => {
    await server?.close();
    await cleanRedisPrefix(process.env.QUEUE_PREFIX!);
  });
  const url = () => {
    if (!server) throw new Error("useWebhookRoutes: the route server starts in beforeAll");
    return server.url;
  };
  return {
    url,
    store: (options: Omit<Parameters<typeof simulatedStore>[0], "webhookUrl" | "subscriptions">) =>
      simulatedStore({ ...options, webhookUrl: url(), subscriptions: appWebhookSubscriptions() }),
  };
}
