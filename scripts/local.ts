/**
 * `npm run local`: the app and its worker against local services, for
 * development without the Shopify CLI. Prints the URL; Ctrl-C stops all.
 */
import { prepareLocalEnvironment, startStack } from "./lib/stack";

try {
  const local = await prepareLocalEnvironment({});
  const stack = await startStack(local);
  console.log(`App running at ${stack.url} (health: ${stack.url}/healthz). Ctrl-C to stop.`);
  const stop = () => stack.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
