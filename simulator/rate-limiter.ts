// Shopify's leaky bucket for the GraphQL Admin API, one bucket per shop+app.
// A request may start only when its requested cost fits in the bucket; the
// difference between requested and actual cost is refunded afterwards.

export type Clock = () => number; // milliseconds

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    readonly size: number,
    readonly restoreRate: number,
    private readonly clock: Clock,
  ) {
    this.available = size;
    this.updatedAt = clock();
  }

  private refill(): void {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(this.size, this.available + elapsed * this.restoreRate);
    this.updatedAt = now;
  }

  /** Takes `cost` points if available; false means the request is throttled. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.size, this.available + points);
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.size,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
