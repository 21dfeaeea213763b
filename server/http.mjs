// The HTTP layer of one production web process (server/web.mjs), on plain
// node:http: files of the client build with their caching, everything else to
// Remix. What remix-serve added per request and this leaves out (measured in
// docs/decisions/013-lean-web-server.md): express routing, the compression
// middleware wrapping every response, a morgan log line per request, and
// Remix's fetch polyfill. Static text files are gzipped once and kept;
// Remix's HTML and JSON are gzipped when the client accepts gzip; answers
// without a body (webhooks) pass untouched.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { Readable } from "node:stream";

const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/i;
/** Below this a gzip member costs about what it saves. */
const MIN_GZIP_BYTES = 1024;
/** Larger static files are streamed from disk each time instead of kept in memory. */
const MAX_CACHED_BYTES = 1024 * 1024;
const IMMUTABLE = "public, max-age=31536000, immutable";
const ONE_HOUR = "public, max-age=3600";

/**
 * Every file under `dir`, by the URL path it is served at. A production build
 * does not change while it is served, so the directory is read once.
 * Files under `<publicPath>assets/` have content hashes in their names and
 * are cached for a year; anything else (copied from public/) for an hour.
 */
export function staticFiles(dir, publicPath = "/") {
  const files = new Map();
  if (!dir || !fs.existsSync(dir)) return files;
  const prefix = publicPath.endsWith("/") ? publicPath : `${publicPath}/`;
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(file);
        continue;
      }
      if (!entry.isFile()) continue;
      const relative = path.relative(dir, file).split(path.sep).join("/");
      const stat = fs.statSync(file);
      const type = TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
      files.set(prefix + relative, {
        file,
        type,
        size: stat.size,
        lastModified: stat.mtime.toUTCString(),
        etag: `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`,
        cacheControl: relative.startsWith("assets/") ? IMMUTABLE : ONE_HOUR,
        compressible: COMPRESSIBLE.test(type) && stat.size >= MIN_GZIP_BYTES,
        body: undefined,
        gzipped: undefined,
      });
    }
  };
  walk(dir);
  return files;
}

function acceptsGzip(req) {
  const accept = req.headers["accept-encoding"];
  return typeof accept === "string" && /\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))/i.test(accept);
}

function appendVary(res, field) {
  const vary = res.getHeader("vary");
  if (!vary) res.setHeader("vary", field);
  else if (
    !String(vary)
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(field.toLowerCase())
  ) {
    res.setHeader("vary", `${vary}, ${field}`);
  }
}

function serveStatic(req, res, asset) {
  res.setHeader("cache-control", asset.cacheControl);
  res.setHeader("etag", asset.etag);
  res.setHeader("last-modified", asset.lastModified);
  if (asset.compressible) res.setHeader("vary", "Accept-Encoding");
  const match = req.headers["if-none-match"];
  const notModified = match
    ? match.split(/\s*,\s*/).some((tag) => tag === "*" || tag.replace(/^W\//, "") === asset.etag.slice(2))
    : req.headers["if-modified-since"] === asset.lastModified;
  if (notModified) {
    res.writeHead(304).end();
    return;
  }
  res.setHeader("content-type", asset.type);
  if (asset.size > MAX_CACHED_BYTES) {
    res.setHeader("content-length", asset.size);
    if (req.method === "HEAD") return void res.end();
    fs.createReadStream(asset.file)
      .on("error", (error) => res.destroy(error))
      .pipe(res);
    return;
  }
  asset.body ??= fs.readFileSync(asset.file);
  let body = asset.body;
  if (asset.compressible && acceptsGzip(req)) {
    asset.gzipped ??= zlib.gzipSync(asset.body, { level: 9 });
    if (asset.gzipped.length < body.length) {
      body = asset.gzipped;
      res.setHeader("content-encoding", "gzip");
    }
  }
  res.setHeader("content-length", body.length);
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The Fetch API Request Remix expects, aborted if the client goes away before the answer is sent. */
export function toWebRequest(req, res) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host || "localhost"}`);
  // Name-value pairs: the Request builds its Headers once (cheaper than appending one by one).
  const raw = req.rawHeaders;
  const headers = new Array(raw.length / 2);
  for (let i = 0; i < raw.length; i += 2) headers[i / 2] = [raw[i], raw[i + 1]];
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = Readable.toWeb(req);
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

function waitForDrain(stream, res) {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      res.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    res.on("close", done);
  });
}

/** Writes a Fetch API Response to `res`; bodies of compressible types gzipped when `gzip`. */
export async function sendWebResponse(req, res, response, { gzip = acceptsGzip(req) } = {}) {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body || req.method === "HEAD") {
    await response.body?.cancel();
    res.end();
    return;
  }
  const type = String(res.getHeader("content-type") ?? "");
  if (/^text\/event-stream/i.test(type)) res.flushHeaders();
  const declared = res.getHeader("content-length");
  const reader = response.body.getReader();
  /** Chunks read before deciding on compression, written first. */
  const ahead = [];
  let ended = false;
  let out = res;
  try {
    if (COMPRESSIBLE.test(type)) {
      appendVary(res, "Accept-Encoding");
      let eligible = gzip && !res.hasHeader("content-encoding") && !/^text\/event-stream/i.test(type);
      if (eligible && declared !== undefined) eligible = Number(declared) >= MIN_GZIP_BYTES;
      else if (eligible) {
        // Unknown length: a body that ends within its first small chunk (a
        // JSON answer, a health check) is sent as it is. A streamed document
        // starts with its shell, larger than that, so it is not held back.
        const first = await reader.read();
        if (first.done) {
          ended = true;
          eligible = false;
        } else {
          ahead.push(first.value);
          if (first.value.byteLength < MIN_GZIP_BYTES) {
            const second = await reader.read();
            if (second.done) {
              ended = true;
              eligible = false;
              res.setHeader("content-length", first.value.byteLength);
            } else ahead.push(second.value);
          }
        }
      }
      if (eligible) {
        res.removeHeader("content-length");
        res.setHeader("content-encoding", "gzip");
        out = zlib.createGzip();
        out.on("error", (error) => res.destroy(error));
        out.pipe(res);
      }
    }
    const write = async (chunk) => {
      const more = out.write(chunk);
      // Streamed HTML must reach the browser as React renders it.
      if (out !== res) out.flush();
      if (!more) await waitForDrain(out, res);
    };
    for (const chunk of ahead) await write(chunk);
    while (!ended && !res.destroyed) {
      const { done, value } = await reader.read();
      if (done) break;
      await write(value);
    }
    if (res.destroyed) await reader.cancel();
    else out.end();
  } catch (error) {
    res.destroy(error);
    throw error;
  }
}

/**
 * An http.Server that serves `assets` (from staticFiles) and hands every
 * other request to `handle`. `onError` hears errors that no response could report.
 * @param {{
 *   handle: (request: Request) => Promise<Response>,
 *   assets?: Map<string, any>,
 *   onError?: (error: unknown, req: http.IncomingMessage) => void,
 *   intercept?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
 * }} options
 * `intercept` sees each request first and returns true when it has taken it
 * (the operator dashboard, which answers on node's request and response).
 */
export function createWebServer({ handle, assets = new Map(), onError = () => {}, intercept }) {
  return http.createServer(async (req, res) => {
    try {
      if (intercept?.(req, res)) return;
      if (req.method === "GET" || req.method === "HEAD") {
        const pathname = req.url?.split("?", 1)[0] ?? "/";
        let asset;
        try {
          asset = assets.get(decodeURIComponent(pathname));
        } catch {
          // not a valid percent-encoding: not a file of ours
        }
        if (asset) return serveStatic(req, res, asset);
      }
      let request;
      try {
        request = toWebRequest(req, res);
      } catch {
        res.writeHead(400).end();
        return;
      }
      await sendWebResponse(req, res, await handle(request));
    } catch (error) {
      onError(error, req);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("Unexpected Server Error");
      else res.destroy();
    }
  });
}

/**
 * Stops accepting connections, closes idle keep-alive ones, lets requests in
 * flight finish (closing each connection as it goes idle) and resolves when
 * the server has closed, or after `timeoutMs`, closing what is left.
 */
export function closeGracefully(server, timeoutMs = 8_000) {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      finish();
    }, timeoutMs);
    function finish() {
      clearInterval(idle);
      clearTimeout(deadline);
      resolve();
    }
    server.close(finish);
    server.closeIdleConnections();
  });
}
