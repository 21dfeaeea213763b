// The simulator's HTTP server: the Admin GraphQL endpoint, bulk result files,
// the staged-upload target and the /_sim control API.
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { handleGraphQL } from "../graphql-handler";
import type { SimRuntime } from "../runtime";
import { API_VERSION } from "../util";
import { HttpError, readBody, sendJson } from "./http-util";

const GRAPHQL_PATH = /^(?:\/shops\/([^/]+))?\/admin\/api\/([^/]+)\/graphql\.json$/;
const BULK_FILE_PATH = /^\/_sim\/bulk\/(\d+)\.jsonl$/;

type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/**
 * Which shop a GraphQL request is for: the /shops/<domain> path prefix, else
 * the X-Shopify-Shop-Domain header (what a rewriting fetch keeps), else the
 * Host header, else the shop whose installation owns the token.
 */
function requestShopDomain(rt: SimRuntime, req: IncomingMessage, pathDomain: string | undefined) {
  if (pathDomain) return pathDomain;
  const headerDomain = req.headers["x-shopify-shop-domain"];
  if (typeof headerDomain === "string" && rt.shops.has(headerDomain)) return headerDomain;
  const host = (req.headers.host ?? "").split(":")[0];
  if (rt.shops.has(host)) return host;
  const token = req.headers["x-shopify-access-token"];
  return [...rt.shops.values()].find((s) => s.installation?.accessToken === token)?.domain;
}

async function handleAdmin(
  rt: SimRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  pathDomain: string | undefined,
  version: string,
) {
  if (version !== API_VERSION) return sendJson(res, 404, { errors: "Not Found" });
  if (req.method !== "POST") return sendJson(res, 405, { errors: "Method Not Allowed" });
  const token = req.headers["x-shopify-access-token"];
  const domain = requestShopDomain(rt, req, pathDomain);
  const shop = domain ? rt.shops.get(domain) : undefined;
  const expired =
    shop?.installation?.accessTokenExpiresAt !== undefined && rt.nowMs() >= shop.installation.accessTokenExpiresAt;
  if (!shop || !shop.installation || typeof token !== "string" || token !== shop.installation.accessToken || expired) {
    return sendJson(res, 401, {
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  }
  const raw = (await readBody(req)).toString("utf8");
  const result = await handleGraphQL({
    schema: rt.schema,
    core: rt,
    shop,
    bucket: rt.bucketFor(shop),
    counts: [rt.counts, rt.countsFor(shop.domain)],
    rawBody: raw,
  });
  sendJson(res, result.status, result.body, { "X-Request-Id": String(rt.nextId()) });
}

/**
 * POST /admin/oauth/access_token with grant_type=refresh_token, as Shopify
 * documents it for expiring offline tokens: the client credentials and the
 * current refresh token give a new access token (one hour) and a new refresh
 * token; the old refresh token stops working (it rotates).
 */
async function handleTokenGrant(rt: SimRuntime, req: IncomingMessage, res: ServerResponse) {
  const domain = req.headers["x-shopify-shop-domain"] ?? (req.headers.host ?? "").split(":")[0];
  const shop = typeof domain === "string" ? rt.shops.get(domain) : undefined;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse((await readBody(req)).toString("utf8"));
  } catch {
    return sendJson(res, 400, { error: "invalid_request", error_description: "The body is not JSON" });
  }
  if (body.client_secret !== rt.appSecret) {
    return sendJson(res, 401, { error: "invalid_client", error_description: "Client authentication failed" });
  }
  if (body.grant_type !== "refresh_token") {
    return sendJson(res, 400, { error: "unsupported_grant_type", error_description: String(body.grant_type) });
  }
  const installation = shop?.installation;
  if (!installation?.refreshToken || body.refresh_token !== installation.refreshToken) {
    return sendJson(res, 400, { error: "invalid_grant", error_description: "The refresh token is invalid" });
  }
  const expiresIn = 3600;
  installation.accessToken = `shpat_${randomBytes(16).toString("hex")}`;
  installation.refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
  installation.accessTokenExpiresAt = rt.nowMs() + expiresIn * 1000;
  sendJson(res, 200, {
    access_token: installation.accessToken,
    expires_in: expiresIn,
    refresh_token: installation.refreshToken,
    refresh_token_expires_in: 90 * 24 * 3600,
    scope: installation.scopes.join(","),
  });
}

/** The staged upload target: a multipart form like GCS's, answered 201 with GCS's XML. */
async function handleUpload(rt: SimRuntime, req: IncomingMessage, res: ServerResponse) {
  const body = await readBody(req);
  const request = new Request("http://simulator/upload", {
    method: "POST",
    headers: req.headers as Record<string, string>,
    body: new Uint8Array(body),
  });
  let form: FormData;
  try {
    form = await request.formData();
  } catch (e) {
    throw new HttpError(400, `Expected a multipart/form-data upload: ${(e as Error).message}`);
  }
  const key = form.get("key");
  const file = form.get("file");
  if (typeof key !== "string" || !rt.stagedUploads.has(key))
    throw new HttpError(403, "Unknown or missing upload key; call stagedUploadsCreate first");
  if (!file || typeof file === "string")
    throw new HttpError(400, "The form needs a 'file' field (after the parameters, as GCS requires)");
  const bytes = Buffer.from(await (file as Blob).arrayBuffer());
  if (bytes.length > rt.maxUploadBytes) {
    // As Shopify's target (S3) answers a bulk mutation file over its 20 MiB.
    res.writeHead(400, { "Content-Type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><ProposedSize>${bytes.length}</ProposedSize><MaxSizeAllowed>${rt.maxUploadBytes}</MaxSizeAllowed></Error>`,
    );
    return;
  }
  const path = join(rt.workDir, `upload-${rt.nextId()}.jsonl`);
  writeFileSync(path, bytes);
  rt.stagedUploads.set(key, path);
  res.writeHead(201, { "Content-Type": "application/xml" });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Bucket>shopify-staged-uploads</Bucket><Key>${key}</Key></PostResponse>`,
  );
}

function handleBulkFile(rt: SimRuntime, res: ServerResponse, id: number) {
  const op = [...rt.shops.values()].flatMap((s) => s.bulkOperations).find((b) => b.id === id);
  if (!op || op.status !== "COMPLETED" || !op.filePath || !existsSync(op.filePath))
    throw new HttpError(404, `No completed bulk operation ${id}`);
  res.writeHead(200, {
    "Content-Type": "application/jsonl",
    "Content-Length": String(op.fileSize ?? 0),
  });
  createReadStream(op.filePath).pipe(res);
}

function route(rt: SimRuntime, control: ControlHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://simulator");
  const admin = GRAPHQL_PATH.exec(url.pathname);
  if (admin) return handleAdmin(rt, req, res, admin[1] ? decodeURIComponent(admin[1]) : undefined, admin[2]);
  if (url.pathname === "/_sim/upload" && req.method === "POST") return handleUpload(rt, req, res);
  if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") return handleTokenGrant(rt, req, res);
  const bulkFile = BULK_FILE_PATH.exec(url.pathname);
  if (bulkFile && req.method === "GET") {
    handleBulkFile(rt, res, Number(bulkFile[1]));
    return Promise.resolve();
  }
  if (url.pathname.startsWith("/_sim/")) return control(req, res, url);
  sendJson(res, 404, { errors: "Not Found" });
  return Promise.resolve();
}

export function createSimServer(rt: SimRuntime, control: ControlHandler): Server {
  return createServer((req, res) => {
    const fail = (error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      else sendJson(res, 500, { error: (error as Error).message ?? String(error) });
    };
    try {
      route(rt, control, req, res).catch(fail);
    } catch (error) {
      fail(error);
    }
  });
}
