import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { billingConfig } from "./billing/config.server";
import { env } from "./config/env.server";
import prisma from "./db.server";
import { CachedSessionStorage } from "./shopify/session-cache.server";
import { routeAdminApiToSimulator } from "./shopify/simulator-routing.server";
import { queues } from "./queues/registry.server";
import { enqueueShopInstalled } from "./queues/shop-lifecycle.server";

const config = env();

// Development, tests and the demo only (env validation refuses it in production).
if (config.SHOPIFY_ADMIN_API_ORIGIN) routeAdminApiToSimulator(config.SHOPIFY_ADMIN_API_ORIGIN);

const apiVersion = ApiVersion.April26;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Loaded sessions are kept for a few seconds in each process: every webhook
  // delivery loads its shop's offline session (ADR 013).
  sessionStorage: new CachedSessionStorage(new PrismaSessionStorage(prisma)),
  distribution: AppDistribution.AppStore,
  // The paid plans (app/billing/plans.ts, ADR 037): billing.check, request and cancel on the plan page and the guard.
  billing: billingConfig(),
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      if (session.isOnline) return;
      // The install is recorded (and, later, the backfill started) by the worker.
      await enqueueShopInstalled(await queues(), { shop: session.shop, scopes: session.scope ?? null });
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
