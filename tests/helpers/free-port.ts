import { createServer } from "node:net";

/**
 * A TCP port free on 127.0.0.1 now, for a server a test starts in another
 * process: the kernel picks it (listen on port 0) and it is released at once.
 * A port drawn at random from 39,000-42,999 (what the tests did) lies in
 * Linux's ephemeral range, where the suite's own outgoing connections to
 * PostgreSQL and Redis hold ports: a clean-clone CI run failed on EADDRINUSE.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
