import { PassThrough } from "stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server";
import { env } from "./config/env.server";
import { handleOpsRequest } from "./observability/ops-dashboard.server";
import { withLogContext } from "./observability/log-context.server";
import { receiveWebhookNode, webhookAction } from "./ingest/receive-webhook.server";

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);

        responseHeaders.set("Content-Type", "text/html");
        resolve(
          new Response(stream, {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });

    // Automatically timeout the React renderer after 6 seconds, which ensures
    // React has enough time to flush down the rejected boundary contents
    setTimeout(abort, streamTimeout + 1000);
  });
}

/** Called by server/web.mjs before the process listens (issue 18): see app/ingest/warm-up.server.ts. */
export { warmUpWebhooks as warmUp } from "./ingest/warm-up.server";
/**
 * What the production HTTP layer (server/web.mjs, server/cluster.mjs) takes
 * from the app through this build: its validated configuration, the operator
 * dashboard, the webhook routes' answer on node's request and response, and
 * the log context of a request.
 */
export const serverRuntime = {
  /** The web process's settings from app/config (throws EnvError naming each bad variable). */
  config() {
    const config = env();
    return {
      port: config.PORT,
      host: config.HOST,
      webConcurrency: config.WEB_CONCURRENCY,
      logLevel: config.LOG_LEVEL ?? "info",
      serviceName: config.SERVICE_NAME === "segments" ? "segments-web" : config.SERVICE_NAME,
    };
  },
  handleOpsRequest,
  opsBasePath: "/ops",
  /** The action of every webhook route: the HTTP layer answers the POSTs to their paths with receiveWebhookNode. */
  webhookAction,
  receiveWebhookNode,
  /** Runs the request's handling with its id in every log line. */
  withRequestContext: <T,>(requestId: string, fn: () => T): T => withLogContext({ requestId }, fn),
};
