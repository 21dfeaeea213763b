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
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
