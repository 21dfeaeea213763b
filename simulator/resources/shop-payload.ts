// The REST Shop resource, as shop/update and app/uninstalled carry it.
import { currencyDecimals } from "../money";
import type { Shop } from "../shop";
import { restTime } from "./rest-time";

/** Minutes east of UTC in a time zone at an instant. */
export function timezoneOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * Shopify's `timezone` text, e.g. "(GMT-05:00) America/New_York": the zone's
 * standard (non-summer) offset, the smaller of January's and July's.
 */
export function shopifyTimezoneLabel(timeZone: string, year = new Date().getUTCFullYear()): string {
  const minutes = Math.min(
    timezoneOffsetMinutes(timeZone, new Date(Date.UTC(year, 0, 1))),
    timezoneOffsetMinutes(timeZone, new Date(Date.UTC(year, 6, 1))),
  );
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `(GMT${minutes < 0 ? "-" : "+"}${hh}:${mm}) ${timeZone}`;
}

/** "£{{amount}}", "¥{{amount_no_decimals}}", "KWD {{amount_with_3_decimals}}"... */
function moneyFormat(currency: string): string {
  const symbol =
    new Intl.NumberFormat("en", { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency")
      ?.value ?? currency;
  const decimals = currencyDecimals(currency);
  const placeholder =
    decimals === 0 ? "{{amount_no_decimals}}" : decimals === 3 ? "{{amount_with_3_decimals}}" : "{{amount}}";
  return /^[A-Z]{3}$/.test(symbol) ? `${symbol} ${placeholder}` : `${symbol}${placeholder}`;
}

/** Shopify's plan_name for a plan display name ("Shopify Plus" -> "shopify_plus"). */
function planName(displayName: string): string {
  return displayName.toLowerCase().replace(/\s+/g, "_");
}

/** The simulator keeps no shop address, so address fields are null (as on a shop that never set one). */
export function shopPayload(shop: Shop) {
  const { name, timezone, currency, plan } = shop.settings;
  const format = moneyFormat(currency);
  return {
    id: shop.ids.external(shop.id),
    name,
    email: `owner@${shop.domain}`,
    domain: shop.domain,
    province: null,
    country: null,
    address1: null,
    zip: null,
    city: null,
    source: null,
    phone: null,
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: restTime(shop, shop.createdAt),
    updated_at: restTime(shop, shop.updatedAt),
    country_code: null,
    country_name: null,
    currency,
    customer_email: `support@${shop.domain}`,
    timezone: shopifyTimezoneLabel(timezone),
    iana_timezone: timezone,
    shop_owner: "Simulated Owner",
    money_format: format,
    money_with_currency_format: `${format} ${currency}`,
    weight_unit: "kg",
    province_code: null,
    taxes_included: true,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: plan,
    plan_name: planName(plan),
    has_discounts: shop.discounts.size > 0,
    has_gift_cards: false,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: format,
    money_with_currency_in_emails_format: `${format} ${currency}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: null,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [currency],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}
