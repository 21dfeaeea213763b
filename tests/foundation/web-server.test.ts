import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeGracefully, createWebServer, staticFiles } from "../../server/http.mjs";
import { freePort } from "../helpers/free-port";

/** One HTTP exchange with raw access to what came back (fetch would decode gzip itself). */
function exchange(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "web-server-"));
const script = "export const x = 1;\n".repeat(200); // 4 KB of compressible text
fs.mkdirSync(path.join(dir, "assets"));
fs.writeFileSync(path.join(dir, "assets", "entry-abc123.js"), script);
fs.writeFileSync(path.join(dir, "favicon.ico"), Buffer.from([0, 0, 1, 0]));

describe("server/http.mjs", () => {
  const seen: { method: string; url: string; body: string; headers: Headers }[] = [];
  const errors: unknown[] = [];
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = createWebServer({
      assets: staticFiles(dir, "/"),
      onError: (error: unknown) => errors.push(error),
      handle: async (request: Request) => {
        const body = request.method === "GET" ? "" : await request.text();
        seen.push({ method: request.method, url: request.url, body, headers: request.headers });
        const url = new URL(request.url);
        if (url.pathname === "/webhook") return new Response(null, { status: 200 });
        if (url.pathname === "/cookies") {
          const headers = new Headers();
          headers.append("set-cookie", "a=1; Path=/");
          headers.append("set-cookie", "b=2; Path=/");
          return new Response("ok", { status: 201, headers });
        }
        if (url.pathname === "/small")
          return new Response("tiny", { headers: { "content-type": "text/plain", "content-length": "4" } });
        if (url.pathname === "/tiny.json") return Response.json({ ok: true });
        if (url.pathname === "/stream") {
          const encoder = new TextEncoder();
          const body = new ReadableStream({
            async start(controller) {
              controller.enqueue(encoder.encode("<p>shell</p>"));
              await new Promise((resolve) => setTimeout(resolve, 20));
              controller.enqueue(encoder.encode("<p>later</p>".repeat(200)));
              controller.close();
            },
          });
          return new Response(body, { headers: { "content-type": "text/html" } });
        }
        if (url.pathname === "/big.json")
          return Response.json({ items: Array.from({ length: 300 }, (_, i) => ({ i })) });
        if (url.pathname === "/slow") {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return new Response("done");
        }
        if (url.pathname === "/throws") throw new Error("boom");
        return new Response("Not Found", { status: 404 });
      },
    });
    base = await listen(server);
  });
  afterAll(async () => {
    await closeGracefully(server);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves hashed build assets for a year, gzipped once for clients that accept gzip", async () => {
    const plain = await exchange(`${base}/assets/entry-abc123.js`);
    expect(plain.status).toBe(200);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(plain.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(script);

    const gzipped = await exchange(`${base}/assets/entry-abc123.js`, { headers: { "accept-encoding": "gzip, br" } });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toBe("Accept-Encoding");
    expect(Number(gzipped.headers["content-length"])).toBeLessThan(script.length);
    expect(zlib.gunzipSync(gzipped.body).toString()).toBe(script);

    const again = await exchange(`${base}/assets/entry-abc123.js`, {
      headers: { "if-none-match": plain.headers.etag! },
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(seen).toHaveLength(0); // none of these reached the app
  });

  it("serves other files of the client build for an hour, and leaves unknown paths to the app", async () => {
    const icon = await exchange(`${base}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers["cache-control"]).toBe("public, max-age=3600");
    expect(icon.headers["content-type"]).toBe("image/x-icon");
    expect((await exchange(`${base}/assets/../favicon.ico`)).status).toBe(200); // normalised by the URL parser
    expect((await exchange(`${base}/assets/missing.js`)).status).toBe(404);
    expect(seen.at(-1)?.url).toMatch(/\/assets\/missing\.js$/);
  });

  it("passes method, URL, headers and body to the app and its answer back, bodiless answers untouched", async () => {
    const body = JSON.stringify({ id: 1 });
    const response = await exchange(`${base}/webhook?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-hmac-sha256": "abc=", "accept-encoding": "gzip" },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.body.length).toBe(0);
    const request = seen.at(-1)!;
    expect(request.method).toBe("POST");
    expect(new URL(request.url).pathname + new URL(request.url).search).toBe("/webhook?x=1");
    expect(request.headers.get("x-shopify-hmac-sha256")).toBe("abc=");
    expect(request.body).toBe(body);

    const cookies = await exchange(`${base}/cookies`);
    expect(cookies.status).toBe(201);
    expect(cookies.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(cookies.body.toString()).toBe("ok");
  });

  it("gzips the app's large JSON for clients that accept it, not answers known to be small", async () => {
    const plain = await exchange(`${base}/big.json`);
    const gzipped = await exchange(`${base}/big.json`, { headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zlib.gunzipSync(gzipped.body).toString()).toBe(plain.body.toString());
    expect(gzipped.body.length).toBeLessThan(plain.body.length);
    const small = await exchange(`${base}/small`, { headers: { "accept-encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.body.toString()).toBe("tiny");
    // Length not declared, body ends within one small chunk: sent as it is, with its length.
    const tiny = await exchange(`${base}/tiny.json`, { headers: { "accept-encoding": "gzip" } });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.headers["content-length"]).toBe("11");
    expect(JSON.parse(tiny.body.toString())).toEqual({ ok: true });
    // A streamed document whose first chunk is small is still compressed, whole.
    const stream = await exchange(`${base}/stream`, { headers: { "accept-encoding": "gzip" } });
    expect(stream.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(stream.body).toString()).toBe("<p>shell</p>" + "<p>later</p>".repeat(200));
  });

  it("answers 500 and reports the error when the app throws", async () => {
    const response = await exchange(`${base}/throws`);
    expect(response.status).toBe(500);
    expect(String(errors.at(-1))).toMatch(/boom/);
  });

  it("closes gracefully: a request in flight is answered, an idle keep-alive connection does not hold it up", async () => {
    const other = createWebServer({
      handle: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return new Response("done");
      },
    });
    const url = await listen(other);
    const agent = new http.Agent({ keepAlive: true });
    await exchange(url, { agent }); // leaves an idle keep-alive connection
    const inFlight = exchange(url, { agent: new http.Agent({ keepAlive: true }) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await closeGracefully(other);
    expect(Date.now() - started).toBeLessThan(2_000);
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe("done");
    agent.destroy();
  });
});

describe("npm start (server/cluster.mjs + server/web.mjs)", () => {
  // A minimal Remix server build: one resource route, answered by the real
  // @remix-run/node request handler inside the real web processes.
  const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "web-build-"));
  const buildFile = path.join(buildDir, "server", "index.js");
  fs.mkdirSync(path.join(buildDir, "server"));
  fs.mkdirSync(path.join(buildDir, "client", "assets"), { recursive: true });
  fs.writeFileSync(path.join(buildDir, "client", "assets", "app-1.js"), "console.log(1);\n");
  fs.writeFileSync(
    buildFile,
    `export const mode = "production";
export const future = {};
export const basename = "/";
export const publicPath = "/";
export const assetsBuildDirectory = ${JSON.stringify(path.join(buildDir, "client"))};
export const assets = { version: "1", url: "/assets/manifest.js", entry: { module: "/assets/app-1.js", imports: [] }, routes: {} };
export const entry = { module: { default: () => new Response("no documents here", { status: 404 }) } };
export const routes = {
  root: { id: "root", path: "", module: {} },
  "routes/slow": { id: "routes/slow", parentId: "root", path: "slow", module: {
    action: async ({ request }) => {
      const body = await request.text();
      await new Promise((resolve) => setTimeout(resolve, 500));
      return new Response(body + " " + process.pid, { status: 200 });
    },
  } },
};
`,
  );
  afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));

  it("serves from every process, and on SIGTERM answers the request in flight, then exits 0", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["server/cluster.mjs", buildFile], {
      env: {
        ...process.env,
        PORT: String(port),
        WEB_CONCURRENCY: "2",
        LOG_LEVEL: "info",
        NODE_ENV: "production",
        REDIS_URL: "redis://127.0.0.1:6379",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while ((output.match(/web process listening/g) ?? []).length < 2) {
      if (Date.now() > deadline) throw new Error(`no start-up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const base = `http://127.0.0.1:${port}`;
    const asset = await exchange(`${base}/assets/app-1.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toMatch(/immutable/);

    const inFlight = exchange(`${base}/slow`, { method: "POST", body: "hello" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill("SIGTERM");
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toMatch(/^hello \d+$/);
    expect(await exited).toBe(0);
    // Start-up lines only: no log line per request.
    expect(output).not.toMatch(/POST \/slow|GET \/assets/);
  }, 30_000);
});
