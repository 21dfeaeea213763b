// The programmatic control surface (the Simulator interface), composed from
// the resource modules' control methods plus datasets, webhooks, accessors
// and the clock.
import { existsSync } from "node:fs";
import { generateStore } from "../generator";
import { HttpError } from "../http/http-util";
import { loadOnlineRetail } from "../online-retail";
import { installationControl } from "../resources/app-installation";
import { billingControl } from "../resources/billing/control";
import { customerControl } from "../resources/customers/control";
import { functionControl } from "../resources/discounts/functions";
import { orderControl } from "../resources/orders/control";
import { refundControl } from "../resources/refunds";
import { shopControl } from "../resources/shop";
import type { SimRuntime } from "../runtime";
import type { Simulator } from "../types";

type ServerControl = "url" | "close";

function datasetControl(rt: SimRuntime): Pick<Simulator, "loadOnlineRetail" | "generate"> {
  return {
    async loadOnlineRetail(domain, file) {
      const shop = rt.getShop(domain);
      if (typeof file !== "string" || file === "")
        throw new HttpError(400, "loadOnlineRetail needs the path of the CSV (.csv or .csv.gz)");
      if (!existsSync(file)) throw new HttpError(400, `Online Retail file not found: ${file}`);
      if (shop.settings.currency !== "GBP")
        throw new HttpError(400, `The Online Retail data set is in GBP; ${domain} uses ${shop.settings.currency}`);
      const { standaloneRefunds, ...summary } = await loadOnlineRetail(shop, file);
      rt.standaloneRefunds.set(domain, standaloneRefunds);
      return summary;
    },
    generate(domain, generateOptions) {
      const shop = rt.getShop(domain);
      try {
        return generateStore(shop, generateOptions);
      } catch (e) {
        throw new HttpError(400, (e as Error).message);
      }
    },
  };
}

function webhookControl(
  rt: SimRuntime,
): Pick<Simulator, "sendWebhook" | "setWebhookChaos" | "webhooksIdle" | "deliveries"> {
  return {
    sendWebhook(domain, topic, payload, sendOptions = {}) {
      const shop = rt.installedShop(domain);
      const deliveries = rt.emit(shop, topic, () => payload, sendOptions);
      if (deliveries.length === 0) throw new HttpError(409, `The app has no subscription for ${topic} on ${domain}`);
      return deliveries;
    },
    setWebhookChaos(settings) {
      if (settings) {
        const rate = (v: unknown) => typeof v === "number" && v >= 0 && v <= 1;
        if (!rate(settings.duplicateRate) || !rate(settings.reorderRate))
          throw new HttpError(400, "Webhook chaos needs duplicateRate and reorderRate between 0 and 1");
        if (!Number.isInteger(settings.seed)) throw new HttpError(400, "Webhook chaos needs an integer seed");
      }
      rt.sender.setChaos(settings);
    },
    webhooksIdle: () => rt.sender.idle(),
    deliveries: () => rt.sender.deliveries,
  };
}

/** Read-only accessors for assertions, the counters and the clock. */
function stateControl(
  rt: SimRuntime,
): Pick<
  Simulator,
  | "metafields"
  | "segments"
  | "discounts"
  | "bulkOperations"
  | "standaloneRefunds"
  | "orderCount"
  | "customerCount"
  | "callCounts"
  | "resetCounters"
  | "advanceClock"
  | "now"
> {
  return {
    metafields: (domain, ownerId) => [...(rt.getShop(domain).store.metafields.get(ownerId)?.values() ?? [])],
    segments: (domain) => [...rt.getShop(domain).segments.values()],
    discounts: (domain) => [...rt.getShop(domain).discounts.values()],
    bulkOperations: (domain) => rt.getShop(domain).bulkOperations,
    standaloneRefunds: (domain) => rt.standaloneRefunds.get(domain) ?? [],
    orderCount: (domain) => rt.getShop(domain).store.orderCount,
    customerCount: (domain) => rt.getShop(domain).store.customerCount,
    callCounts: (domain) => (domain ? rt.countsFor(domain) : rt.counts),
    resetCounters: () => rt.resetCounters(),
    advanceClock: (ms) => rt.advanceClock(ms),
    now: () => rt.nowMs(),
  };
}

/** Every Simulator method except url and close (which belong to the server). */
export function controlMethods(rt: SimRuntime): Omit<Simulator, ServerControl> {
  return {
    ...shopControl(rt),
    ...installationControl(rt),
    ...datasetControl(rt),
    ...orderControl(rt),
    ...refundControl(rt),
    ...customerControl(rt),
    ...webhookControl(rt),
    ...billingControl(rt),
    ...functionControl(rt),
    ...stateControl(rt),
  };
}
