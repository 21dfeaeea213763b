import { logger as rootLogger, type Logger } from "../utils/logger.server";
import { adminApiCalls, adminApiCost, adminApiThrottleAvailable } from "../observability/metrics.server";

/**
 * A small Admin GraphQL client for background jobs. It exists (next to the
 * library's `admin.graphql`) because jobs need what the library leaves to the
 * app: retrying THROTTLED answers (HTTP 200 with errors[0].extensions.code)
 * after the wait the returned throttleStatus implies, retrying 5xx and network
 * failures with backoff, and counting calls and cost for the UI and benchmarks
 * (docs/decisions/007-admin-api-client.md).
 */
const ADMIN_API_VERSION = "2026-04";

/**
 * The Admin operations the app sends, keyed by each document's exact text:
 * `npm run graphql-codegen` (.graphqlrc.ts) reads every `#graphql` constant in
 * app/graphql/admin/ and app/types/admin.generated.d.ts merges one entry per
 * document into these interfaces ({ return, variables }), as it does for
 * @shopify/admin-api-client. Unlike that client's, they have no index
 * signature: a document codegen has not seen does not type-check.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging (app/types/admin.generated.d.ts)
export interface AdminQueries {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging (app/types/admin.generated.d.ts)
export interface AdminMutations {}
type AdminOperations = AdminQueries & AdminMutations;

/** A document kept in app/graphql/admin/ (its text is its type). */
export type AdminDocument = keyof AdminOperations & string;
/** What `data` holds for a document (its selection, with Shopify's nullability). */
export type AdminResult<D extends AdminDocument> = AdminOperations[D]["return"];
/** The variables a document declares. */
export type AdminVariables<D extends AdminDocument> = AdminOperations[D]["variables"];
/** Variables may be left out only when the document requires none. */
type VariablesArgument<D extends AdminDocument> =
  Record<string, never> extends AdminVariables<D> ? [variables?: AdminVariables<D>] : [variables: AdminVariables<D>];

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface AdminApiStats {
  calls: number;
  throttled: number;
  retries: number;
  actualCost: number;
}

class AdminApiError extends Error {
  constructor(
    message: string,
    readonly errors: unknown,
    readonly status?: number,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

export interface AdminApiOptions {
  shop: string;
  /**
   * The token, or a function asked for it before every call: a background job
   * hands in the offline session's current token, which the library refreshes
   * when it expires (expiring offline tokens live one hour).
   */
  accessToken: string | (() => Promise<string>);
  /** Admin API origin; https://<shop> in production, the simulator in tests and the demo. */
  origin?: string;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  /** Attempts for 5xx/network failures (rate limits are retried without a cap). */
  maxServerRetries?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AdminApi {
  readonly stats: AdminApiStats = { calls: 0, throttled: 0, retries: 0, actualCost: 0 };
  lastThrottleStatus: ThrottleStatus | undefined;
  private readonly endpoint: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly logger: Logger;

  constructor(private readonly options: AdminApiOptions) {
    const origin = options.origin ?? `https://${options.shop}`;
    this.endpoint = `${origin.replace(/\/$/, "")}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.logger = options.logger ?? rootLogger;
  }

  get shop(): string {
    return this.options.shop;
  }

  /**
   * Sends one of the app's documents (app/graphql/admin/); returns `data`,
   * typed by the document. GraphQL errors other than THROTTLED throw
   * AdminApiError.
   */
  request<D extends AdminDocument>(document: D, ...variables: VariablesArgument<D>): Promise<AdminResult<D>> {
    return this.send(document, variables[0]);
  }

  /**
   * Sends a document built at run time, which codegen cannot see (the aliased
   * tag batch of app/writeback/batch.ts, whose fields depend on the batch):
   * the caller names the result type, derived from the generated types of the
   * fields it repeats. Everything else goes through `request`.
   */
  requestBuiltDocument<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return this.send(query, variables);
  }

  private async send<T>(query: string, variables: object | undefined): Promise<T> {
    const maxServerRetries = this.options.maxServerRetries ?? 8;
    let serverFailures = 0;
    for (;;) {
      let response: Response;
      try {
        const token = this.options.accessToken;
        const accessToken = typeof token === "string" ? token : await token();
        this.stats.calls++;
        response = await this.fetchImpl(this.endpoint, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-Shopify-Access-Token": accessToken,
            "X-Shopify-Shop-Domain": this.options.shop,
          },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        if (++serverFailures > maxServerRetries) throw error;
        this.stats.retries++;
        await this.sleep(backoffMs(serverFailures));
        continue;
      }
      if (response.status >= 500 || response.status === 429) {
        if (++serverFailures > maxServerRetries) {
          throw new AdminApiError(`Admin API answered HTTP ${response.status}`, null, response.status);
        }
        this.stats.retries++;
        const retryAfter = Number(response.headers.get("retry-after"));
        await this.sleep(retryAfter > 0 ? retryAfter * 1000 : backoffMs(serverFailures));
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        throw new AdminApiError(
          `Admin API answered HTTP ${response.status}: ${text.slice(0, 300)}`,
          null,
          response.status,
        );
      }
      const body = JSON.parse(text) as {
        data?: T;
        errors?: Array<{ message: string; extensions?: Record<string, any> }>;
        extensions?: {
          cost?: { actualQueryCost?: number; requestedQueryCost?: number; throttleStatus?: ThrottleStatus };
        };
      };
      const cost = body.extensions?.cost;
      if (cost?.throttleStatus) this.lastThrottleStatus = cost.throttleStatus;
      if (cost?.throttleStatus?.maximumAvailable) {
        adminApiThrottleAvailable.set(cost.throttleStatus.currentlyAvailable / cost.throttleStatus.maximumAvailable);
      }
      if (body.errors?.some((error) => error.extensions?.code === "THROTTLED")) {
        this.stats.throttled++;
        adminApiCalls.inc({ outcome: "throttled" });
        const wait = throttleWaitMs(cost?.requestedQueryCost ?? 50, cost?.throttleStatus);
        this.logger.debug({ shop: this.shop, wait }, "throttled by Shopify; waiting");
        await this.sleep(wait);
        continue;
      }
      if (body.errors?.length) {
        adminApiCalls.inc({ outcome: "error" });
        throw new AdminApiError(
          `Admin API error: ${body.errors.map((error) => error.message).join("; ")}`,
          body.errors,
          response.status,
        );
      }
      this.stats.actualCost += cost?.actualQueryCost ?? 0;
      adminApiCalls.inc({ outcome: "ok" });
      adminApiCost.inc(cost?.actualQueryCost ?? 0);
      await this.paceAfter(cost?.throttleStatus);
      return body.data as T;
    }
  }

  /** Keeps a reserve in the bucket so parallel work of the same shop is not throttled needlessly. */
  private async paceAfter(status: ThrottleStatus | undefined) {
    if (!status) return;
    const reserve = Math.min(100, status.maximumAvailable / 10);
    if (status.currentlyAvailable < reserve) {
      await this.sleep(((reserve - status.currentlyAvailable) / status.restoreRate) * 1000);
    }
  }
}

function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 250 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}

/** How long until the bucket holds `needed` points again, plus a small margin. */
function throttleWaitMs(needed: number, status: ThrottleStatus | undefined): number {
  if (!status || status.restoreRate <= 0) return 1_000;
  const missing = Math.max(0, Math.min(needed, status.maximumAvailable) - status.currentlyAvailable);
  return Math.ceil((missing / status.restoreRate) * 1000) + 50;
}
