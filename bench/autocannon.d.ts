// The small part of autocannon's API the webhook benchmark uses (the package ships no types).
declare module "autocannon" {
  interface Percentiles {
    average: number;
    p50: number;
    p99: number;
    total: number;
  }
  interface Result {
    requests: Percentiles;
    latency: Percentiles;
    non2xx: number;
    "2xx": number;
    errors: number;
    timeouts: number;
  }
  interface Options {
    url: string;
    connections?: number;
    amount?: number;
    duration?: number;
    requests?: Array<Record<string, unknown>>;
  }
  /** The run's promise, which is also its event emitter ("response" per answer). */
  interface Instance extends Promise<Result> {
    on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): this;
  }
  function autocannon(options: Options): Instance;
  export default autocannon;
}
