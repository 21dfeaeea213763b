// Shop: the GraphQL Shop view, the REST shop payload and the createShop
// control method.
import type { GraphQLEnumType } from "graphql";
import { HttpError } from "../http/http-util.js";
import type { SimRuntime } from "../runtime.js";
import { Shop } from "../shop.js";
import { IdSpace } from "../ids.js";
import type { CreateShopOptions, Simulator } from "../types.js";
import { isoFromSeconds } from "../util.js";
import type { ViewContext } from "./common.js";

export class ShopView {
  constructor(private readonly _ctx: ViewContext) {}
  private get _shop() {
    return this._ctx.shop;
  }
  get __typename() {
    return "Shop";
  }
  get id() {
    return this._shop.ids.gid("Shop", this._shop.id);
  }
  get name() {
    return this._shop.settings.name;
  }
  get myshopifyDomain() {
    return this._shop.domain;
  }
  get ianaTimezone() {
    return this._shop.settings.timezone;
  }
  get currencyCode() {
    return this._shop.settings.currency;
  }
  get email() {
    return `owner@${this._shop.domain}`;
  }
  get contactEmail() {
    return `support@${this._shop.domain}`;
  }
  get createdAt() {
    return isoFromSeconds(this._shop.createdAt);
  }
  get plan() {
    const name = this._shop.settings.plan;
    return {
      displayName: name,
      publicDisplayName: name,
      partnerDevelopment: name === "Development",
      shopifyPlus: name === "Shopify Plus",
    };
  }
}

/** The REST Shop resource, as app/uninstalled carries it. */
export function shopPayload(shop: Shop) {
  return {
    id: shop.ids.external(shop.id),
    name: shop.settings.name,
    email: `owner@${shop.domain}`,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    shop_owner: "Simulated Owner",
    iana_timezone: shop.settings.timezone,
    currency: shop.settings.currency,
    plan_name: shop.settings.plan.toLowerCase(),
    created_at: isoFromSeconds(shop.createdAt),
  };
}

/** Shopify ids are signed 64-bit: the base leaves room for 10^13 local ids. */
const MAX_ID_BASE = 2n ** 63n - 1n - 10n ** 13n;

function idBaseOf(value: CreateShopOptions["idBase"]): bigint {
  if (value === undefined || value === null) return 0n;
  const valid =
    typeof value === "bigint" ||
    (typeof value === "number" && Number.isSafeInteger(value)) ||
    (typeof value === "string" && /^\d+$/.test(value));
  const base = valid ? BigInt(value) : -1n;
  if (base < 0n || base > MAX_ID_BASE)
    throw new HttpError(400, `idBase must be a whole number from 0 to ${MAX_ID_BASE}, got '${String(value)}'`);
  return base;
}

export function shopQueries(ctx: ViewContext) {
  return { shop: () => new ShopView(ctx) };
}

export function shopControl(rt: SimRuntime): Pick<Simulator, "createShop" | "shop"> {
  return {
    createShop(domain, settings, options = {}) {
      if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain))
        throw new HttpError(400, `Shop domain must look like name.myshopify.com, got '${domain}'`);
      if (rt.shops.has(domain)) throw new HttpError(409, `Shop ${domain} already exists`);
      if (!settings?.timezone || !settings.currency) throw new HttpError(400, "createShop needs timezone and currency");
      try {
        new Intl.DateTimeFormat("en", { timeZone: settings.timezone });
      } catch {
        throw new HttpError(400, `Unknown IANA timezone '${settings.timezone}'`);
      }
      const currencies = rt.schema.getType("CurrencyCode") as GraphQLEnumType;
      if (typeof settings.currency !== "string" || !currencies.getValue(settings.currency))
        throw new HttpError(400, `Currency must be one of Shopify's CurrencyCode values, got '${settings.currency}'`);
      const shop = new Shop(
        rt.nextId(),
        domain,
        {
          timezone: settings.timezone,
          currency: settings.currency,
          name: settings.name ?? domain.replace(".myshopify.com", ""),
          plan: settings.plan ?? "Basic",
        },
        rt.nowSeconds(),
        new IdSpace(idBaseOf(options.idBase)),
      );
      rt.shops.set(domain, shop);
    },
    shop: (domain) => rt.getShop(domain),
  };
}
