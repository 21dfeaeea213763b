import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import express from "express";
import { env } from "../config/env.server";
import { queues } from "../queues/registry.server";
import { ALL_QUEUES } from "../queues/names";
import { logger } from "../utils/logger.server";
import { checkBasic, logRefused } from "./operator-auth.server";

const OPS_BASE_PATH = "/ops/queues";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

let app: Promise<NodeHandler> | undefined;

/** bull-board over every queue of the app, served under /ops/queues by an express app of its own. */
async function dashboard(): Promise<NodeHandler> {
  const registry = await queues();
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(OPS_BASE_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(registry.get(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Segments queues" } },
  });
  const server = express();
  server.disable("x-powered-by");
  server.use(OPS_BASE_PATH, serverAdapter.getRouter());
  return server as unknown as NodeHandler;
}

/**
 * The operator queue dashboard (server/web.mjs hands it every /ops request):
 * HTTP basic auth with OPS_USERNAME/OPS_PASSWORD, 401 otherwise (and always
 * when they are not configured); kept out of the merchant's embedded UI.
 */
export async function handleOpsRequest(req: IncomingMessage, res: ServerResponse, requestId?: string): Promise<void> {
  const { OPS_USERNAME, OPS_PASSWORD } = env();
  const path = (req.url ?? "/").split("?", 1)[0];
  const refused =
    OPS_USERNAME && OPS_PASSWORD
      ? checkBasic(req.headers.authorization, { username: OPS_USERNAME, password: OPS_PASSWORD })
      : "missing";
  if (refused) {
    logRefused(logger, "ops", { reason: refused, path, ip: req.socket.remoteAddress, requestId });
    res.writeHead(401, { "www-authenticate": 'Basic realm="segments operators", charset="UTF-8"' }).end("Unauthorized");
    return;
  }
  if (path !== OPS_BASE_PATH && !path.startsWith(`${OPS_BASE_PATH}/`)) {
    res.writeHead(404).end("Not Found");
    return;
  }
  app ??= dashboard();
  (await app)(req, res);
}
