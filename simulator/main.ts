// Standalone simulator: `tsx simulator/main.ts --help`.
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { startSimulator } from "./index";

const USAGE = `Usage: tsx simulator/main.ts [options]

  --port <n>            port to listen on (default 4010, 0 = random)
  --secret <s>          app secret for webhook HMACs (default $SHOPIFY_API_SECRET)
  --shop <domain>       shop to create (default sim-shop.myshopify.com)
  --token <t>           offline access token the app will use (default $SIM_ACCESS_TOKEN or shpat_simulator)
  --scopes <list>       comma-separated scopes (default read_customers,write_customers,read_orders,read_all_orders,write_discounts)
  --webhook-url <url>   the app's base URL; webhooks POST to it + subscription path (default http://127.0.0.1:3000)
  --subscribe <t=uri>   webhook subscription, repeatable (e.g. orders/create=/webhooks)
  --online-retail [f]   load the UCI Online Retail file (default data/online-retail/online_retail.csv.gz)
  --customers <n>       generate a synthetic store with n customers ...
  --orders <n>          ... and n orders
  --seed <n>            generator seed (default 1)
  --start <iso>         generator start date (default two years ago)
  --end <iso>           generator end date (default now)
  --timezone <tz>       shop timezone (default Europe/London)
  --currency <code>     shop currency (default GBP)
  --restore-rate <n>    leaky bucket restore rate, points/s (default 100)
  --bucket-size <n>     leaky bucket size (default 2000)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4010" },
      secret: { type: "string" },
      shop: { type: "string", default: "sim-shop.myshopify.com" },
      token: { type: "string" },
      scopes: {
        type: "string",
        default: "read_customers,write_customers,read_orders,read_all_orders,write_discounts",
      },
      "webhook-url": { type: "string", default: "http://127.0.0.1:3000" },
      subscribe: { type: "string", multiple: true, default: [] },
      "online-retail": { type: "string" },
      customers: { type: "string" },
      orders: { type: "string" },
      seed: { type: "string", default: "1" },
      start: { type: "string" },
      end: { type: "string" },
      timezone: { type: "string", default: "Europe/London" },
      currency: { type: "string", default: "GBP" },
      "restore-rate": { type: "string", default: "100" },
      "bucket-size": { type: "string", default: "2000" },
      help: { type: "boolean", default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const secret = values.secret ?? process.env.SHOPIFY_API_SECRET;
  if (!secret) throw new Error("Give the app secret with --secret or SHOPIFY_API_SECRET (webhooks are signed with it)");
  const number = (name: string, text: string | undefined) => {
    const value = Number(text);
    if (text === undefined || !Number.isFinite(value)) throw new Error(`--${name} must be a number, got '${text}'`);
    return value;
  };
  const sim = await startSimulator({
    port: number("port", values.port),
    appSecret: secret,
    restoreRate: number("restore-rate", values["restore-rate"]),
    bucketSize: number("bucket-size", values["bucket-size"]),
  });
  sim.createShop(values.shop!, {
    timezone: values.timezone!,
    currency: values.currency!,
  });
  const token = values.token ?? process.env.SIM_ACCESS_TOKEN ?? "shpat_simulator";
  sim.installApp(values.shop!, {
    accessToken: token,
    scopes: values.scopes!,
    webhookUrl: values["webhook-url"]!,
    subscriptions: (values.subscribe ?? []).map((entry) => {
      const [topic, uri] = entry.split("=");
      if (!topic || !uri) throw new Error(`--subscribe needs topic=uri, got '${entry}'`);
      return { topic, uri };
    }),
  });
  if (values["online-retail"] !== undefined) {
    const file =
      values["online-retail"] || fileURLToPath(new URL("../data/online-retail/online_retail.csv.gz", import.meta.url));
    const summary = await sim.loadOnlineRetail(values.shop!, file);
    console.log("Loaded Online Retail:", JSON.stringify(summary));
  }
  if (values.customers !== undefined || values.orders !== undefined) {
    const end = values.end ?? new Date().toISOString();
    const start = values.start ?? new Date(Date.parse(end) - 2 * 365 * 86400_000).toISOString();
    const summary = sim.generate(values.shop!, {
      seed: number("seed", values.seed),
      customers: number("customers", values.customers ?? "1000"),
      orders: number("orders", values.orders ?? "5000"),
      startDate: start,
      endDate: end,
      discountShare: 0.2,
      seasonality: 0.5,
    });
    console.log("Generated store:", JSON.stringify(summary));
  }
  console.log(`Shopify simulator on ${sim.url}`);
  console.log(
    `  Admin GraphQL: POST ${sim.url}/admin/api/2026-04/graphql.json  (X-Shopify-Access-Token: ${token}, shop ${values.shop})`,
  );
  console.log(`  Control API:   ${sim.url}/_sim/health`);
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
