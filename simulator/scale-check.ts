// Measures the simulator at benchmark scale:
//   tsx simulator/scale-check.ts --customers 1000000 --orders 5000000 [--bulk [--grouped]]
//   tsx simulator/scale-check.ts --online-retail   (times loading the UCI Online Retail file)
// Prints generation time, memory, and (with --bulk) a full orders bulk export.
import { parseArgs } from "node:util";
import { startSimulator } from "./index";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "100000" },
    orders: { type: "string", default: "500000" },
    bulk: { type: "boolean", default: false },
    /** groupObjects: true (child lines after their parent) instead of the 2026-04 default. */
    grouped: { type: "boolean", default: false },
    "online-retail": { type: "boolean", default: false },
  },
});
const customers = Number(values.customers);
const orders = Number(values.orders);
if (!Number.isInteger(customers) || !Number.isInteger(orders))
  throw new Error("--customers and --orders must be integers");

const mb = (bytes: number) => Math.round(bytes / 1e6);
const domain = "scale.myshopify.com";
const sim = await startSimulator({
  appSecret: "scale-check",
  bulkLatencyMs: 0,
});
try {
  if (values["online-retail"]) {
    sim.createShop("online-retail.myshopify.com", { timezone: "Europe/London", currency: "GBP" });
    const started = Date.now();
    const file = new URL("../data/online-retail/online_retail.csv.gz", import.meta.url).pathname;
    const summary = await sim.loadOnlineRetail("online-retail.myshopify.com", file);
    console.log(
      JSON.stringify({ onlineRetailLoadMs: Date.now() - started, rows: summary.rows, orders: summary.orders }),
    );
  }
  sim.createShop(domain, { timezone: "UTC", currency: "USD" });
  sim.installApp(domain, {
    accessToken: "scale",
    scopes: ["read_orders", "read_all_orders", "read_customers"],
    webhookUrl: "http://127.0.0.1:9",
  });
  const started = Date.now();
  const summary = sim.generate(domain, {
    seed: 7,
    customers,
    orders,
    startDate: "2022-01-01T00:00:00Z",
    endDate: "2025-01-01T00:00:00Z",
    discountShare: 0.25,
    seasonality: 0.6,
  });
  const memory = process.memoryUsage();
  console.log(
    JSON.stringify({
      customers,
      orders,
      lineItems: summary.lineItems,
      generateMs: Date.now() - started,
      rssMB: mb(memory.rss),
      heapUsedMB: mb(memory.heapUsed),
      arrayBuffersMB: mb(memory.arrayBuffers),
    }),
  );
  if (values.bulk) {
    const gql = async (query: string) => {
      const response = await fetch(`${sim.url}/admin/api/2026-04/graphql.json`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Access-Token": "scale",
        },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data: Record<string, any> };
    };
    const bulkStarted = Date.now();
    await gql(
      `mutation { bulkOperationRunQuery(groupObjects: ${values.grouped}, query: "{ orders { edges { node { id processedAt customer { id } totalPriceSet { shopMoney { amount } } lineItems { edges { node { id quantity } } } } } } }") { userErrors { message } } }`,
    );
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const op = (await gql("{ bulkOperations(first: 1) { nodes { status errorCode objectCount fileSize } } }")).data
        .bulkOperations.nodes[0];
      if (op.status !== "CREATED" && op.status !== "RUNNING") {
        console.log(
          JSON.stringify({
            bulk: op,
            grouped: values.grouped,
            bulkMs: Date.now() - bulkStarted,
            rssMB: mb(process.memoryUsage().rss),
          }),
        );
        break;
      }
    }
  }
} finally {
  await sim.close();
}
