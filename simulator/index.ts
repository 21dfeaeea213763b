// Public entry point of the Shopify store simulator (tests, benchmarks, demo).
export { startSimulator } from "./simulator";
export type {
  Simulator,
  SimulatorOptions,
  InstallOptions,
  CreateOrderInput,
  UpdateOrderInput,
  OrderLineInput,
} from "./simulator";
export type { CreateShopOptions, ShopUpdate, OrderPayload, RefundPayload } from "./types";
export type { IdInput } from "./control/lookup";
export type { ExactId } from "./ids";
export { stringifyExact } from "./exact-json";
export type { AppSubscriptionRecord, SubscriptionStatus } from "./resources/billing/model";
export type { ChargeAnswer, LapseStatus } from "./resources/billing/control";
export type { AppFunctionInput, AppFunctionRecord } from "./resources/discounts/functions";
export type { GenerateOptions, GenerateSummary } from "./generator";
export type { OnlineRetailSummary, StandaloneRefund } from "./online-retail";
export type { CallCounts } from "./graphql-handler";
export type { Delivery, ChaosSettings } from "./webhooks";
export { verifyWebhookHmac, hmacBase64 } from "./webhooks";
export { MAX_TAGS_PER_CUSTOMER, MAX_TAG_LENGTH } from "./resources/customers/tags";
export { APP_NAMESPACE } from "./util";
export { MAX_QUERY_COST } from "./graphql-handler";
export { API_VERSION, gid, parseGid } from "./util";
export { rewriteShopifyUrl, simulatorFetch } from "./fetch";
export type { Shop, ShopSettings, SegmentRecord, DiscountRecord, BulkOperationRecord } from "./shop";
export type { ShopStore, MetafieldRecord } from "./store";
