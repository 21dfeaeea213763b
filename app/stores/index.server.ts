// Every store of the app's own tables. The privacy service erases a customer
// or a shop by looping over this list (app/privacy); the catalog test checks
// that every table holding shop or customer data belongs to one of them.
import { adminFiguresStore } from "./admin-figures.server";
import { billingStore } from "./billing.server";
import { bulkStagingStore } from "./bulk-staging.server";
import { customersStore } from "./customers.server";
import type { DataStore } from "./data-store";
import { dataRequestsStore } from "./data-requests.server";
import { discountsStore } from "./discounts.server";
import { featureReadsStore } from "./feature-reads.server";
import { insightsStore } from "./insights.server";
import { membershipsStore } from "./memberships.server";
import { ordersStore } from "./orders.server";
import { productTypesStore } from "./product-types.server";
import { runsStore } from "./runs.server";
import { shopsStore } from "./shops.server";
import { tagSyncStore } from "./tag-sync.server";
import { writebackStateStore } from "./writeback-state.server";

/** In erasure order: dependants before the rows they point at, the shop last. */
export const STORES: readonly DataStore[] = [
  // First: it reads the memberships, transitions and orders to take a customer's part out of the snapshots.
  insightsStore,
  adminFiguresStore,
  discountsStore,
  writebackStateStore,
  membershipsStore,
  bulkStagingStore,
  ordersStore,
  productTypesStore,
  customersStore,
  dataRequestsStore,
  featureReadsStore,
  tagSyncStore,
  runsStore,
  billingStore,
  shopsStore,
];

export type { CustomerRef, DataStore, ShopRef } from "./data-store";
