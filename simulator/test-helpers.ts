// Helpers shared by the simulator's own tests.
import { startSimulator, type Simulator, type SimulatorOptions } from "./index";

export const SHOP = "test-shop.myshopify.com";
export const TOKEN = "shpat_test_token";
export const SECRET = "test-app-secret";

export interface GqlResult {
  status: number;
  body: {
    data?: Record<string, any>;
    errors?: {
      message: string;
      locations?: unknown[];
      path?: unknown[];
      extensions?: Record<string, any>;
    }[];
    extensions?: {
      cost: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: {
          maximumAvailable: number;
          currentlyAvailable: number;
          restoreRate: number;
        };
      };
    };
  };
}

export async function gql(
  sim: Simulator,
  query: string,
  variables: Record<string, unknown> = {},
  token = TOKEN,
): Promise<GqlResult> {
  const response = await fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Access-Token": token,
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as GqlResult["body"],
  };
}

export async function smallStore(
  options: Partial<SimulatorOptions> = {},
  generate = { customers: 30, orders: 120 },
): Promise<Simulator> {
  const sim = await startSimulator({
    appSecret: SECRET,
    bulkLatencyMs: 20,
    ...options,
  });
  sim.createShop(SHOP, { timezone: "Europe/London", currency: "GBP" });
  sim.installApp(SHOP, {
    accessToken: TOKEN,
    scopes: ["read_customers", "write_customers", "read_orders", "read_all_orders", "write_discounts"],
    webhookUrl: "http://127.0.0.1:9",
  });
  sim.generate(SHOP, {
    seed: 42,
    ...generate,
    startDate: "2024-01-01T00:00:00Z",
    endDate: "2025-01-01T00:00:00Z",
    discountShare: 0.3,
    seasonality: 0.5,
  });
  return sim;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}
