// Control methods about customers: compliance requests (redact, data request)
// and the tag accessor used by tests.
import { customerIndexOf } from "../../control/lookup";
import type { SimRuntime } from "../../runtime";
import type { Simulator } from "../../types";
import type { Shop } from "../../shop";
import { customersDataRequestPayload, customersRedactPayload, type ComplianceSubject } from "./payloads";

/** The customer at `index` as the compliance payloads name it (read before a redaction erases it). */
function complianceSubject(shop: Shop, index: number): ComplianceSubject {
  const s = shop.store;
  const pd = s.personalData(index);
  return {
    customerId: s.c.id[index],
    email: pd?.email ?? null,
    phone: pd?.phone ?? null,
    orderIds: s.customerOrders(index).map((o) => s.o.id[o]),
  };
}

export function customerControl(
  rt: SimRuntime,
): Pick<Simulator, "redactCustomer" | "requestCustomerData" | "customerTags"> {
  return {
    redactCustomer(domain, customerId) {
      const shop = rt.getShop(domain);
      const index = customerIndexOf(shop, customerId);
      const payload = customersRedactPayload(shop, complianceSubject(shop, index));
      shop.store.redactCustomer(index, rt.nowSeconds());
      rt.emit(shop, "customers/redact", () => payload);
      return payload;
    },
    requestCustomerData(domain, customerId) {
      const shop = rt.getShop(domain);
      const payload = customersDataRequestPayload(shop, complianceSubject(shop, customerIndexOf(shop, customerId)));
      rt.emit(shop, "customers/data_request", () => payload);
      return payload;
    },
    customerTags(domain, customerId) {
      const shop = rt.getShop(domain);
      return [...shop.store.tagsOf(customerIndexOf(shop, customerId))];
    },
  };
}
