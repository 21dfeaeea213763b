import { describe, it } from "vitest";
import { setProcessEnv } from "../../app/config/env.server";
import { testQueueBackends } from "../helpers/queue-backends";
import { useWebhookRoutes } from "../helpers/route-server";
import { privacyScenario } from "./scenario";

// The webhook routes enqueue on the backend the environment names.
setProcessEnv({ REDIS_URL: "redis://127.0.0.1:6379", QUEUE_BACKEND: "redis" });
const routes = useWebhookRoutes();

describe("privacy on the Redis queue backend", () => {
  it(
    "customers/redact leaves no row or queued job mentioning the customer; shop/redact leaves nothing of the shop",
    () => privacyScenario(routes, testQueueBackends()[0]),
    240_000,
  );
});
