import { Session } from "@shopify/shopify-api";

/** The session storage interface of @shopify/shopify-app-session-storage, as the library calls it. */
export interface SessionStorageLike {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
}

/** The library refreshes an expiring offline token this long before it expires. */
const REFRESH_WINDOW_MS = 5 * 60 * 1000;

/**
 * Session storage that remembers loaded sessions for `ttlMs` in this process.
 * `authenticate.webhook` loads the shop's offline session for every delivery;
 * in a burst that is one PostgreSQL round trip per delivery for the same row
 * (docs/decisions/013-lean-web-server.md).
 *
 * What keeps it correct:
 * - storeSession, deleteSession(s) through this object drop the entry first;
 * - a change made by another process (the other web processes, the worker
 *   deleting sessions on app/uninstalled) is seen after at most `ttlMs`;
 * - a session whose token the library would refresh within `ttlMs` is not
 *   cached, so a cached copy never triggers a refresh with a refresh token
 *   another process may already have rotated;
 * - a missing session is not cached (the next install is seen at once);
 * - callers get their own copy, so a caller changing it changes no one else's.
 */
export class CachedSessionStorage implements SessionStorageLike {
  private readonly entries = new Map<string, { session: Session; until: number }>();
  private readonly loading = new Map<string, Promise<Session | undefined>>();
  /** Bumped by every write, so a load that started before a write does not cache what it read. */
  private generation = 0;

  constructor(
    readonly inner: SessionStorageLike,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  private get ttlMs() {
    return this.options.ttlMs ?? 5_000;
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const entry = this.entries.get(id);
    if (entry && entry.until > this.now()) return copy(entry.session);
    if (entry) this.entries.delete(id);
    let load = this.loading.get(id);
    if (!load) {
      const generation = this.generation;
      const started: Promise<Session | undefined> = this.inner.loadSession(id).then(
        (session) => {
          if (this.loading.get(id) === started) this.loading.delete(id);
          if (session && generation === this.generation && this.cacheable(session)) this.remember(id, session);
          return session;
        },
        (error) => {
          if (this.loading.get(id) === started) this.loading.delete(id);
          throw error;
        },
      );
      load = started;
      this.loading.set(id, load);
    }
    const session = await load;
    return session && copy(session);
  }

  private cacheable(session: Session): boolean {
    const expires = session.expires?.getTime();
    return expires === undefined || expires - this.now() > REFRESH_WINDOW_MS + this.ttlMs;
  }

  private remember(id: string, session: Session) {
    const max = this.options.maxEntries ?? 10_000;
    if (this.entries.size >= max) {
      // Oldest first (a Map keeps insertion order).
      for (const key of this.entries.keys()) {
        this.entries.delete(key);
        if (this.entries.size < max) break;
      }
    }
    this.entries.set(id, { session, until: this.now() + this.ttlMs });
  }

  private forget(ids: string[]) {
    this.generation++;
    for (const id of ids) {
      this.entries.delete(id);
      this.loading.delete(id);
    }
  }

  async storeSession(session: Session): Promise<boolean> {
    this.forget([session.id]);
    try {
      return await this.inner.storeSession(session);
    } finally {
      this.forget([session.id]);
    }
  }

  async deleteSession(id: string): Promise<boolean> {
    this.forget([id]);
    try {
      return await this.inner.deleteSession(id);
    } finally {
      this.forget([id]);
    }
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    this.forget(ids);
    try {
      return await this.inner.deleteSessions(ids);
    } finally {
      this.forget(ids);
    }
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}

function copy(session: Session): Session {
  return new Session(session.toObject());
}
