// The /_sim control API over HTTP: each route calls one Simulator method and
// answers its result as JSON (bad input: 4xx {"error": "..."}).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GenerateOptions } from "../generator";
import type { AppFunctionInput } from "../resources/discounts/functions";
import { HttpError, readJson, sendJson } from "../http/http-util";
import type { ShopSettings } from "../shop";
import type { CreateOrderInput, InstallOptions, ShopUpdate, Simulator, UpdateOrderInput } from "../types";
import { API_VERSION, APP_NAMESPACE } from "../util";
import type { ChaosSettings, Delivery } from "../webhooks";

type Body = Record<string, never>;

interface Route {
  method: "GET" | "POST";
  /** Matched against the path after /_sim; groups are passed to the handler. */
  pattern: RegExp;
  handle: (match: string[], body: Body, query: URLSearchParams) => unknown;
}

const withoutBody = (deliveries: Delivery[]) => deliveries.map(({ body: _body, ...rest }) => rest);

function routes(sim: Simulator, shops: () => string[]): Route[] {
  const shop = "([^/]+)";
  return [
    { method: "GET", pattern: /^\/health$/, handle: () => ({ ok: true, shops: shops(), apiVersion: API_VERSION }) },
    { method: "GET", pattern: /^\/counters$/, handle: (_m, _b, q) => sim.callCounts(q.get("shop") ?? undefined) },
    { method: "POST", pattern: /^\/counters\/reset$/, handle: () => sim.resetCounters() },
    { method: "GET", pattern: /^\/webhooks\/deliveries$/, handle: () => withoutBody(sim.deliveries()) },
    {
      method: "POST",
      pattern: /^\/webhooks\/chaos$/,
      handle: (_m, b) => sim.setWebhookChaos(Object.keys(b).length ? (b as unknown as ChaosSettings) : null),
    },
    { method: "GET", pattern: /^\/functions$/, handle: () => sim.appFunctions() },
    {
      method: "POST",
      pattern: /^\/functions$/,
      handle: (_m, b) => sim.registerAppFunction(b as unknown as AppFunctionInput),
    },
    { method: "POST", pattern: /^\/clock\/advance$/, handle: (_m, b) => sim.advanceClock(Number(b.ms)) },
    {
      method: "POST",
      pattern: /^\/shops$/,
      handle: (_m, b) => sim.createShop(b.domain, b as unknown as ShopSettings, { idBase: b.idBase }),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/update$`),
      handle: ([d], b) => sim.updateShop(d, b as unknown as ShopUpdate),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/install$`),
      handle: ([d], b) => sim.installApp(d, b as unknown as InstallOptions),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/online-retail$`),
      handle: ([d], b) => sim.loadOnlineRetail(d, b.file),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/generate$`),
      handle: ([d], b) => sim.generate(d, b as unknown as GenerateOptions),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/orders$`),
      handle: ([d], b) => sim.createOrder(d, b as unknown as CreateOrderInput),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/orders/([^/]+)/update$`),
      handle: ([d, id], b) => sim.updateOrder(d, id, b as unknown as UpdateOrderInput),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/orders/([^/]+)/cancel$`),
      handle: ([d, id], b) => sim.cancelOrder(d, id, b),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/orders/([^/]+)/refund$`),
      handle: ([d, id], b) => sim.refundOrder(d, id, b),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/customers/([^/]+)/redact$`),
      handle: ([d, id]) => sim.redactCustomer(d, id),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/customers/([^/]+)/data-request$`),
      handle: ([d, id]) => sim.requestCustomerData(d, id),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/shops/${shop}/customers/([^/]+)/tags$`),
      handle: ([d, id]) => sim.customerTags(d, id),
    },
    { method: "POST", pattern: new RegExp(`^/shops/${shop}/uninstall$`), handle: ([d]) => sim.uninstall(d) },
    { method: "GET", pattern: new RegExp(`^/shops/${shop}/subscriptions$`), handle: ([d]) => sim.subscriptions(d) },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/subscriptions/([^/]+)/(approve|decline)$`),
      handle: ([d, id, answer]) =>
        answer === "approve"
          ? sim.approveSubscription(d, id === "pending" ? undefined : id)
          : sim.declineSubscription(d, id === "pending" ? undefined : id),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/subscriptions/([^/]+)/lapse$`),
      handle: ([d, id], b) => sim.lapseSubscription(d, id, b.status),
    },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/subscriptions/([^/]+)/resume$`),
      handle: ([d, id]) => sim.resumeSubscription(d, id),
    },
    { method: "POST", pattern: new RegExp(`^/shops/${shop}/redact$`), handle: ([d]) => sim.redactShop(d) },
    {
      method: "POST",
      pattern: new RegExp(`^/shops/${shop}/webhooks$`),
      handle: ([d], b) =>
        withoutBody(sim.sendWebhook(d, b.topic, b.payload, { duplicate: b.duplicate, delayMs: b.delayMs })),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/shops/${shop}/state$`),
      handle: ([d]) => ({
        orders: sim.orderCount(d),
        customers: sim.customerCount(d),
        segments: sim.segments(d),
        discounts: sim.discounts(d),
        bulkOperations: sim.bulkOperations(d),
        appNamespace: APP_NAMESPACE,
      }),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/shops/${shop}/metafields$`),
      handle: ([d], _b, q) => sim.metafields(d, q.get("owner") ?? ""),
    },
  ];
}

export function controlHandler(sim: Simulator, shops: () => string[]) {
  const table = routes(sim, shops);
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname.slice("/_sim".length);
    for (const route of table) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const body = (req.method === "POST" ? await readJson(req) : {}) as Body;
      const value = await route.handle(match.slice(1).map(decodeURIComponent), body, url.searchParams);
      sendJson(res, 200, value ?? { ok: true });
      return;
    }
    throw new HttpError(404, `Unknown control route ${req.method} ${url.pathname}`);
  };
}
