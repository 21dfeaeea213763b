// Control methods about customers: compliance requests (redact, data request)
// and the tag accessor used by tests.
import { customerIndexOf } from "../../control/lookup";
import type { SimRuntime } from "../../runtime";
import type { Simulator } from "../../types";
import { customersDataRequestPayload, customersRedactPayload } from "./payloads";

export function customerControl(
  rt: SimRuntime,
): Pick<Simulator, "redactCustomer" | "requestCustomerData" | "customerTags"> {
  return {
    redactCustomer(domain, customerId) {
      const shop = rt.getShop(domain);
      const s = shop.store;
      const index = customerIndexOf(shop, customerId);
      const pd = s.personalData(index);
      const payload = customersRedactPayload(
        shop,
        s.c.id[index],
        pd?.email ?? null,
        pd?.phone ?? null,
        s.customerOrders(index).map((o) => s.o.id[o]),
      );
      s.redactCustomer(index, rt.nowSeconds());
      rt.emit(shop, "customers/redact", () => payload);
      return payload;
    },
    requestCustomerData(domain, customerId) {
      const shop = rt.getShop(domain);
      const s = shop.store;
      const index = customerIndexOf(shop, customerId);
      const pd = s.personalData(index);
      const payload = customersDataRequestPayload(
        shop,
        s.c.id[index],
        pd?.email ?? null,
        pd?.phone ?? null,
        s.customerOrders(index).map((o) => s.o.id[o]),
      );
      rt.emit(shop, "customers/data_request", () => payload);
      return payload;
    },
    customerTags(domain, customerId) {
      const shop = rt.getShop(domain);
      return [...shop.store.tagsOf(customerIndexOf(shop, customerId))];
    },
  };
}
