import { afterAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "../../app/db.server";

describe("PrismaSessionStorage on PostgreSQL", () => {
  const storage = new PrismaSessionStorage(prisma);
  afterAll(() => prisma.$disconnect());

  it("round-trips an offline session", async () => {
    const expires = new Date(Date.now() + 3600_000);
    const session = new Session({
      id: "offline_round-trip.myshopify.com",
      shop: "round-trip.myshopify.com",
      state: "state-123",
      isOnline: false,
      scope: "read_orders,write_customers",
      accessToken: "shpat_test_token",
      expires,
    });
    expect(await storage.storeSession(session)).toBe(true);

    const loaded = await storage.loadSession(session.id);
    // A Session (the storage package may bring its own copy of the class).
    expect(loaded?.id).toBe(session.id);
    expect(typeof loaded?.isActive).toBe("function");
    expect(loaded?.shop).toBe("round-trip.myshopify.com");
    expect(loaded?.accessToken).toBe("shpat_test_token");
    expect(loaded?.scope).toBe("read_orders,write_customers");
    expect(loaded?.isOnline).toBe(false);
    expect(loaded?.expires?.getTime()).toBe(expires.getTime());

    const byShop = await storage.findSessionsByShop("round-trip.myshopify.com");
    expect(byShop.map((s) => s.id)).toEqual([session.id]);

    expect(await storage.deleteSession(session.id)).toBe(true);
    expect(await storage.loadSession(session.id)).toBeUndefined();
  });
});
