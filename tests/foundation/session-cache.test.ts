import { afterAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "../../app/db.server";
import { CachedSessionStorage, type SessionStorageLike } from "../../app/shopify/session-cache.server";

/** An in-memory storage that counts what reaches it. */
class CountingStorage implements SessionStorageLike {
  sessions = new Map<string, Session>();
  loads = 0;
  gate: Promise<void> | undefined;
  async storeSession(session: Session) {
    this.sessions.set(session.id, new Session(session.toObject()));
    return true;
  }
  async loadSession(id: string) {
    this.loads++;
    const found = this.sessions.get(id);
    await this.gate;
    return found && new Session(found.toObject());
  }
  async deleteSession(id: string) {
    this.sessions.delete(id);
    return true;
  }
  async deleteSessions(ids: string[]) {
    for (const id of ids) this.sessions.delete(id);
    return true;
  }
  async findSessionsByShop(shop: string) {
    return [...this.sessions.values()].filter((s) => s.shop === shop);
  }
}

function offline(shop: string, token: string, expiresInMs?: number) {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    accessToken: token,
    scope: "read_orders",
    expires: expiresInMs === undefined ? undefined : new Date(Date.now() + expiresInMs),
  });
}

describe("CachedSessionStorage", () => {
  it("answers repeated loads from memory until the TTL passes, each caller with its own copy", async () => {
    let now = Date.now();
    const inner = new CountingStorage();
    const cache = new CachedSessionStorage(inner, { ttlMs: 5_000, now: () => now });
    await inner.storeSession(offline("a.myshopify.com", "t1"));

    const first = await cache.loadSession("offline_a.myshopify.com");
    const second = await cache.loadSession("offline_a.myshopify.com");
    expect(inner.loads).toBe(1);
    expect(second?.accessToken).toBe("t1");
    expect(second).not.toBe(first);
    first!.accessToken = "changed by a caller";
    expect((await cache.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");

    // Another process changes the row: seen once the TTL has passed.
    await inner.storeSession(offline("a.myshopify.com", "t2"));
    expect((await cache.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");
    now += 5_001;
    expect((await cache.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t2");
    expect(inner.loads).toBe(2);
  });

  it("sees its own process's stores and deletes at once", async () => {
    const inner = new CountingStorage();
    const cache = new CachedSessionStorage(inner, { ttlMs: 60_000 });
    await cache.storeSession(offline("b.myshopify.com", "t1"));
    expect((await cache.loadSession("offline_b.myshopify.com"))?.accessToken).toBe("t1");
    await cache.storeSession(offline("b.myshopify.com", "t2"));
    expect((await cache.loadSession("offline_b.myshopify.com"))?.accessToken).toBe("t2");
    await cache.deleteSession("offline_b.myshopify.com");
    expect(await cache.loadSession("offline_b.myshopify.com")).toBeUndefined();
    await cache.storeSession(offline("c.myshopify.com", "t3"));
    expect(await cache.loadSession("offline_c.myshopify.com")).toBeDefined();
    await cache.deleteSessions(["offline_c.myshopify.com"]);
    expect(await cache.loadSession("offline_c.myshopify.com")).toBeUndefined();
  });

  it("does not cache a missing session, nor one whose token is due for refresh", async () => {
    const inner = new CountingStorage();
    const cache = new CachedSessionStorage(inner, { ttlMs: 5_000 });
    expect(await cache.loadSession("offline_d.myshopify.com")).toBeUndefined();
    expect(await cache.loadSession("offline_d.myshopify.com")).toBeUndefined();
    expect(inner.loads).toBe(2);

    await inner.storeSession(offline("e.myshopify.com", "soon", 5 * 60 * 1000 + 2_000)); // refreshed within the TTL
    await cache.loadSession("offline_e.myshopify.com");
    await cache.loadSession("offline_e.myshopify.com");
    expect(inner.loads).toBe(4);

    await inner.storeSession(offline("f.myshopify.com", "later", 60 * 60 * 1000));
    await cache.loadSession("offline_f.myshopify.com");
    await cache.loadSession("offline_f.myshopify.com");
    expect(inner.loads).toBe(5);
  });

  it("shares one load among concurrent callers, and a load overtaken by a write is not cached", async () => {
    const inner = new CountingStorage();
    const cache = new CachedSessionStorage(inner, { ttlMs: 60_000 });
    await inner.storeSession(offline("g.myshopify.com", "old"));
    let open!: () => void;
    inner.gate = new Promise((resolve) => (open = resolve));
    const loads = Array.from({ length: 10 }, () => cache.loadSession("offline_g.myshopify.com"));
    // A write lands while the read is in flight.
    const stored = cache.storeSession(offline("g.myshopify.com", "new"));
    open();
    await stored;
    inner.gate = undefined;
    const results = await Promise.all(loads);
    expect(inner.loads).toBe(1);
    expect(results.every((s) => s?.accessToken === "old")).toBe(true);
    expect((await cache.loadSession("offline_g.myshopify.com"))?.accessToken).toBe("new");
  });

  it("keeps at most maxEntries sessions", async () => {
    const inner = new CountingStorage();
    const cache = new CachedSessionStorage(inner, { ttlMs: 60_000, maxEntries: 2 });
    for (const shop of ["h", "i", "j"]) await inner.storeSession(offline(`${shop}.myshopify.com`, shop));
    for (const shop of ["h", "i", "j"]) await cache.loadSession(`offline_${shop}.myshopify.com`);
    expect(inner.loads).toBe(3);
    await cache.loadSession("offline_j.myshopify.com");
    expect(inner.loads).toBe(3);
    await cache.loadSession("offline_h.myshopify.com"); // the oldest was dropped
    expect(inner.loads).toBe(4);
  });

  describe("over PrismaSessionStorage", () => {
    afterAll(() => prisma.$disconnect());

    it("round-trips an offline session with an expiring token", async () => {
      const cache = new CachedSessionStorage(new PrismaSessionStorage(prisma), { ttlMs: 5_000 });
      const expires = new Date(Date.now() + 3600_000);
      const session = new Session({
        id: "offline_cached.myshopify.com",
        shop: "cached.myshopify.com",
        state: "",
        isOnline: false,
        scope: "read_orders",
        accessToken: "shpat_cached",
        expires,
        refreshToken: "shprt_cached",
        refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000),
      });
      expect(await cache.storeSession(session)).toBe(true);
      for (let i = 0; i < 2; i++) {
        const loaded = await cache.loadSession(session.id);
        expect(loaded?.accessToken).toBe("shpat_cached");
        expect(loaded?.refreshToken).toBe("shprt_cached");
        expect(loaded?.refreshTokenExpires?.getTime()).toBe(session.refreshTokenExpires!.getTime());
        expect(loaded?.expires?.getTime()).toBe(expires.getTime());
        expect(loaded?.isOnline).toBe(false);
        expect(loaded?.isExpired(5 * 60 * 1000)).toBe(false);
      }
      expect((await cache.findSessionsByShop("cached.myshopify.com")).map((s) => s.id)).toEqual([session.id]);
      expect(await cache.deleteSession(session.id)).toBe(true);
      expect(await cache.loadSession(session.id)).toBeUndefined();
    });
  });
});
