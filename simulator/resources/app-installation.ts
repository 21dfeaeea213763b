// The app's installation: currentAppInstallation, webhook subscriptions
// (query and webhookSubscriptionCreate), and the install / uninstall /
// shop redact control methods with their webhooks.
import { checkPageArgs, identitySequence, paginate, type ConnectionArgs } from "../connections";
import type { RequestContext } from "../core";
import { HttpError } from "../http/http-util";
import type { SimRuntime } from "../runtime";
import type { Shop, WebhookSubscriptionRecord } from "../shop";
import type { Simulator } from "../types";
import { APP_ID, gid, isoFromSeconds, resolveNamespace } from "../util";
import { topicToEnum } from "../webhooks";
import { userError, type ViewContext } from "./common";
import { installationBillingFields } from "./billing/graphql";
import { metafieldView } from "./metafields";
import { shopPayload } from "./shop-payload";

export function webhookSubscriptionView(ctx: ViewContext, sub: WebhookSubscriptionRecord) {
  return {
    __typename: "WebhookSubscription",
    id: ctx.shop.ids.gid("WebhookSubscription", sub.id),
    legacyResourceId: ctx.shop.ids.text(sub.id),
    topic: sub.topic,
    uri: sub.uri,
    callbackUrl: sub.uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: sub.uri },
    filter: sub.filter,
    format: "JSON",
    includeFields: sub.includeFields,
    metafieldNamespaces: [],
    apiVersion: { handle: "2026-04", displayName: "2026-04", supported: true },
    createdAt: isoFromSeconds(sub.createdAt),
    updatedAt: isoFromSeconds(sub.updatedAt),
  };
}

function shopRedactPayload(shop: Shop) {
  return { shop_id: shop.ids.external(shop.id), shop_domain: shop.domain };
}

export function appInstallationQueries(ctx: RequestContext) {
  return {
    currentAppInstallation: () => {
      const install = ctx.shop.installation!;
      const app = {
        id: gid("App", APP_ID),
        apiKey: ctx.core.apiKey,
        title: "Simulated app",
        handle: "simulated-app",
        embedded: true,
      };
      return {
        id: ctx.shop.ids.gid("AppInstallation", ctx.shop.id),
        accessScopes: install.scopes.map((handle) => ({ handle, description: handle })),
        launchUrl: `https://${ctx.shop.domain}/admin/apps/simulated-app`,
        app,
        metafield: (args: { namespace?: string | null; key: string }) => {
          const record = ctx.shop.store.metafields
            .get(ctx.shop.ids.gid("AppInstallation", ctx.shop.id))
            ?.get(`${resolveNamespace(args.namespace)}.${args.key}`);
          return record ? metafieldView(ctx, record, "APP_INSTALLATION") : null;
        },
        ...installationBillingFields(ctx),
      };
    },
    webhookSubscriptions: (args: ConnectionArgs & { topics?: string[] | null }) => {
      checkPageArgs(args, "webhookSubscriptions", ctx.bulk);
      const list = (ctx.shop.installation?.subscriptions ?? []).filter(
        (s) => !args.topics || args.topics.includes(s.topic),
      );
      return paginate(
        identitySequence(list.length),
        () => true,
        args,
        (p) => webhookSubscriptionView(ctx, list[p]),
      );
    },
  };
}

export function webhookSubscriptionMutations(ctx: RequestContext) {
  const install = ctx.shop.installation!;
  return {
    webhookSubscriptionCreate: (args: {
      topic: string;
      webhookSubscription: {
        uri?: string | null;
        callbackUrl?: string | null;
        filter?: string | null;
        includeFields?: string[] | null;
      };
    }) => {
      const uri = args.webhookSubscription.uri ?? args.webhookSubscription.callbackUrl;
      if (!uri)
        return {
          webhookSubscription: null,
          userErrors: [userError(["webhookSubscription", "callbackUrl"], "Address can't be blank")],
        };
      if (!/^https?:\/\//.test(uri) && !uri.startsWith("/")) {
        return {
          webhookSubscription: null,
          userErrors: [userError(["webhookSubscription", "callbackUrl"], "Address is invalid")],
        };
      }
      if (install.subscriptions.some((s) => s.topic === args.topic && s.uri === uri)) {
        return {
          webhookSubscription: null,
          userErrors: [
            userError(["webhookSubscription", "callbackUrl"], "Address for this topic has already been taken"),
          ],
        };
      }
      const record = {
        id: ctx.core.nextId(),
        topic: args.topic,
        uri,
        filter: args.webhookSubscription.filter ?? null,
        includeFields: args.webhookSubscription.includeFields ?? [],
        createdAt: ctx.nowSeconds,
        updatedAt: ctx.nowSeconds,
      };
      install.subscriptions.push(record);
      return {
        webhookSubscription: webhookSubscriptionView(ctx, record),
        userErrors: [],
      };
    },
  };
}

export function installationControl(rt: SimRuntime): Pick<Simulator, "installApp" | "uninstall" | "redactShop"> {
  return {
    installApp(domain, install) {
      const shop = rt.getShop(domain);
      if (!install.accessToken) throw new HttpError(400, "installApp needs accessToken");
      if (!/^https?:\/\//.test(install.webhookUrl ?? ""))
        throw new HttpError(400, "installApp needs webhookUrl (the app's base URL)");
      const scopes = Array.isArray(install.scopes)
        ? install.scopes
        : String(install.scopes ?? "")
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
      const now = rt.nowSeconds();
      shop.installation = {
        accessToken: install.accessToken,
        ...(install.expiring
          ? {
              refreshToken: install.expiring.refreshToken,
              accessTokenExpiresAt: rt.nowMs() + (install.expiring.expiresInSeconds ?? 3600) * 1000,
            }
          : {}),
        scopes,
        webhookUrl: install.webhookUrl,
        installedAt: now,
        subscriptions: (install.subscriptions ?? []).map((s) => ({
          id: rt.nextId(),
          topic: s.topic.includes("/") ? topicToEnum(s.topic) : s.topic,
          uri: s.uri,
          filter: null,
          includeFields: [],
          createdAt: now,
          updatedAt: now,
        })),
      };
    },
    uninstall(domain) {
      const shop = rt.installedShop(domain);
      rt.emit(shop, "app/uninstalled", () => shopPayload(shop));
      // Uninstalling cancels the app's subscriptions (no webhook: the app is gone).
      for (const sub of shop.subscriptions)
        if (sub.status === "ACTIVE" || sub.status === "FROZEN" || sub.status === "PENDING") {
          sub.status = "CANCELLED";
          sub.updatedAt = rt.nowSeconds();
        }
      const { webhookUrl, subscriptions } = shop.installation!;
      rt.formerInstallations.set(domain, { webhookUrl, subscriptions });
      shop.installation = null;
      rt.dropBucket(domain);
    },
    redactShop(domain) {
      const shop = rt.getShop(domain);
      const former = shop.installation ?? rt.formerInstallations.get(domain);
      if (!former) throw new HttpError(409, `The app was never installed on ${domain}`);
      // shop/redact arrives 48 hours after uninstall, so the installation is
      // usually gone: deliver through the last one.
      const saved = shop.installation;
      shop.installation = saved ?? { accessToken: "", scopes: [], installedAt: 0, ...former };
      rt.emit(shop, "shop/redact", () => shopRedactPayload(shop));
      shop.installation = saved;
    },
  };
}
