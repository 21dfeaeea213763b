import fs from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeGracefully, createWebServer, staticFiles } from "../../server/http.mjs";

/**
 * The browser asks every page's origin for /favicon.ico. Vite serves public/
 * in development and copies it into build/client, which server/http.mjs serves
 * in production: served here from public/ as the production server does.
 */
describe("the app's favicon", () => {
  let server: http.Server | undefined;
  afterAll(async () => {
    if (server) await closeGracefully(server);
  });

  it("is an icon in public/ and answers 200, not 404", async () => {
    const bytes = fs.readFileSync(path.resolve("public/favicon.ico"));
    // ICONDIR: reserved 0, type 1 (icon), at least one image.
    expect([bytes.readUInt16LE(0), bytes.readUInt16LE(2)]).toEqual([0, 1]);
    expect(bytes.readUInt16LE(4)).toBeGreaterThanOrEqual(1);

    server = createWebServer({
      assets: staticFiles(path.resolve("public"), "/"),
      onError: (error: unknown) => {
        throw error;
      },
      handle: async () => new Response("not found", { status: 404 }),
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });
});
