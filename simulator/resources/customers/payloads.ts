// REST payloads about customers: customers/create|update (personal data
// included, as Shopify sends it) and the compliance topics.
import type { Shop } from "../../shop";
import { MARKETING_STATES, ORDER_ID_BASE } from "../../store";
import { restMoney } from "../../money";
import { restTime } from "../rest-time";

export function customerPayload(shop: Shop, c: number) {
  const s = shop.store;
  const id = s.c.id[c];
  const pd = s.personalData(c);
  const state = MARKETING_STATES[s.c.marketing[c]];
  const address = pd
    ? {
        id: shop.ids.external(id + 1),
        customer_id: shop.ids.external(id),
        first_name: pd.firstName,
        last_name: pd.lastName,
        company: null,
        address1: pd.address1,
        address2: null,
        city: pd.city,
        province: null,
        country: pd.country,
        zip: pd.zip,
        phone: pd.phone,
        name: `${pd.firstName} ${pd.lastName}`,
        province_code: null,
        country_code: pd.country === "United Kingdom" ? "GB" : null,
        country_name: pd.country,
        default: true,
      }
    : null;
  return {
    id: shop.ids.external(id),
    email: pd?.email ?? null,
    created_at: restTime(shop, s.c.createdAt[c]),
    updated_at: restTime(shop, s.c.updatedAt[c]),
    first_name: pd?.firstName ?? null,
    last_name: pd?.lastName ?? null,
    orders_count: s.c.orders[c],
    state: "enabled",
    total_spent: restMoney(s.c.spentMinor[c], shop.settings.currency),
    last_order_id: s.c.lastOrder[c] >= 0 ? shop.ids.external(s.o.id[s.c.lastOrder[c]]) : null,
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    tags: s.tagsOf(c).join(", "),
    last_order_name: s.c.lastOrder[c] >= 0 ? `#${s.o.id[s.c.lastOrder[c]] - ORDER_ID_BASE}` : null,
    currency: shop.settings.currency,
    phone: pd?.phone ?? null,
    addresses: address ? [address] : [],
    email_marketing_consent: {
      state: state.toLowerCase(),
      opt_in_level: state === "SUBSCRIBED" ? "single_opt_in" : null,
      consent_updated_at: null,
    },
    sms_marketing_consent: null,
    admin_graphql_api_id: shop.ids.gid("Customer", id),
    default_address: address,
  };
}

/** Who a compliance webhook is about: the customer's id, contact details and orders. */
export interface ComplianceSubject {
  customerId: number;
  email: string | null;
  phone: string | null;
  orderIds: number[];
}

export function customersRedactPayload(shop: Shop, subject: ComplianceSubject) {
  return {
    shop_id: shop.ids.external(shop.id),
    shop_domain: shop.domain,
    customer: { id: shop.ids.external(subject.customerId), email: subject.email, phone: subject.phone },
    orders_to_redact: subject.orderIds.map((id) => shop.ids.external(id)),
  };
}

export function customersDataRequestPayload(shop: Shop, subject: ComplianceSubject) {
  return {
    shop_id: shop.ids.external(shop.id),
    shop_domain: shop.domain,
    orders_requested: subject.orderIds.map((id) => shop.ids.external(id)),
    customer: { id: shop.ids.external(subject.customerId), email: subject.email, phone: subject.phone },
    data_request: { id: shop.ids.external(subject.customerId + 17) },
  };
}
