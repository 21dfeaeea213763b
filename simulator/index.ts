// Public entry point of the Shopify store simulator (tests, benchmarks, demo).
export { startSimulator } from "./simulator.js";
export type {
  Simulator,
  SimulatorOptions,
  InstallOptions,
  CreateOrderInput,
  UpdateOrderInput,
  OrderLineInput,
} from "./simulator.js";
export type { CreateShopOptions, ShopUpdate, OrderPayload, RefundPayload } from "./types.js";
export type { IdInput } from "./control/lookup.js";
export type { ExactId } from "./ids.js";
export { stringifyExact } from "./exact-json.js";
export type { AppSubscriptionRecord, SubscriptionStatus } from "./resources/billing/model.js";
export type { ChargeAnswer, LapseStatus } from "./resources/billing/control.js";
export type { AppFunctionInput, AppFunctionRecord } from "./resources/discounts/functions.js";
export type { GenerateOptions, GenerateSummary } from "./generator.js";
export type { OnlineRetailSummary, StandaloneRefund } from "./online-retail.js";
export type { CallCounts } from "./graphql-handler.js";
export type { Delivery, ChaosSettings } from "./webhooks.js";
export { verifyWebhookHmac, hmacBase64 } from "./webhooks.js";
export { MAX_TAGS_PER_CUSTOMER, MAX_TAG_LENGTH } from "./resources/customers/tags.js";
export { APP_NAMESPACE } from "./util.js";
export { MAX_QUERY_COST } from "./graphql-handler.js";
export { API_VERSION, gid, parseGid } from "./util.js";
export { rewriteShopifyUrl, simulatorFetch } from "./fetch.js";
export type { Shop, ShopSettings, SegmentRecord, DiscountRecord, BulkOperationRecord } from "./shop.js";
export type { ShopStore, MetafieldRecord } from "./store.js";
