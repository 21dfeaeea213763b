// Shop: the GraphQL Shop view and the createShop / updateShop control methods.
import type { GraphQLEnumType } from "graphql";
import { checkPageArgs, identitySequence, paginate } from "../connections";
import { HttpError } from "../http/http-util";
import type { SimRuntime } from "../runtime";
import { Shop } from "../shop";
import { IdSpace } from "../ids";
import type { CreateShopOptions, ShopUpdate, Simulator } from "../types";
import { isoFromSeconds } from "../util";
import type { ViewContext } from "./common";
import { shopPayload, timezoneOffsetMinutes } from "./shop-payload";

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
  get timezoneOffsetMinutes() {
    return timezoneOffsetMinutes(this._shop.settings.timezone, new Date(this._ctx.nowSeconds * 1000));
  }
  /** "+0100", "-0500": the current offset. */
  get timezoneOffset() {
    const minutes = this.timezoneOffsetMinutes;
    const abs = Math.abs(minutes);
    return `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
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
  /** The store's customer tags, each once (case-insensitively), in alphabetical order. */
  customerTags(args: { first: number }) {
    checkPageArgs(args, "customerTags", false);
    const byLower = new Map<string, string>();
    for (const [row, tags] of this._shop.store.customerTags) {
      if (this._shop.store.isDeleted(row)) continue;
      for (const tag of tags) if (!byLower.has(tag.toLowerCase())) byLower.set(tag.toLowerCase(), tag);
    }
    const sorted = [...byLower.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    return paginate(
      identitySequence(sorted.length),
      () => true,
      args,
      (p) => sorted[p],
    );
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

function checkTimezone(timezone: unknown): void {
  try {
    new Intl.DateTimeFormat("en", { timeZone: String(timezone) });
  } catch {
    throw new HttpError(400, `Unknown IANA timezone '${String(timezone)}'`);
  }
}

function checkCurrency(rt: SimRuntime, currency: unknown): void {
  const currencies = rt.schema.getType("CurrencyCode") as GraphQLEnumType;
  if (typeof currency !== "string" || !currencies.getValue(currency))
    throw new HttpError(400, `Currency must be one of Shopify's CurrencyCode values, got '${String(currency)}'`);
}

/** Changes the shop as the merchant would in Settings, then sends shop/update. */
function updateShop(rt: SimRuntime, domain: string, changes: ShopUpdate): void {
  const shop = rt.getShop(domain);
  const known = ["timezone", "currency", "name"];
  const unknown = Object.keys(changes ?? {}).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new HttpError(400, `updateShop accepts timezone, currency and name, not ${unknown.join(", ")}`);
  if (changes.timezone !== undefined) checkTimezone(changes.timezone);
  if (changes.currency !== undefined) {
    checkCurrency(rt, changes.currency);
    // Stored amounts are in the currency's minor units; orders keep the currency they were placed in.
    if (changes.currency !== shop.settings.currency && shop.store.orderCount > 0)
      throw new HttpError(
        409,
        `${domain} has orders: the simulator only changes a store's currency before its first order`,
      );
  }
  if (changes.name !== undefined && (typeof changes.name !== "string" || !changes.name.trim()))
    throw new HttpError(400, "The shop name cannot be blank");
  for (const key of ["timezone", "currency", "name"] as const) {
    const value = changes[key];
    if (value !== undefined) shop.settings[key] = value;
  }
  shop.updatedAt = rt.nowSeconds();
  rt.emit(shop, "shop/update", () => shopPayload(shop));
}

export function shopControl(rt: SimRuntime): Pick<Simulator, "createShop" | "updateShop" | "shop"> {
  return {
    updateShop: (domain, changes) => updateShop(rt, domain, changes),
    createShop(domain, settings, options = {}) {
      if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain))
        throw new HttpError(400, `Shop domain must look like name.myshopify.com, got '${domain}'`);
      if (rt.shops.has(domain)) throw new HttpError(409, `Shop ${domain} already exists`);
      if (!settings?.timezone || !settings.currency) throw new HttpError(400, "createShop needs timezone and currency");
      checkTimezone(settings.timezone);
      checkCurrency(rt, settings.currency);
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
