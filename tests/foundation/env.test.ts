import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../app/config/env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
};

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("environment validation", () => {
  it("accepts the minimum and fills in local defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe("postgresql://root@127.0.0.1:5432/segments_dev");
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.SCOPES.split(",")).toContain("read_all_orders");
  });

  it("names every missing variable", () => {
    expect(problems({})).toEqual([
      "SHOPIFY_API_KEY is required",
      "SHOPIFY_API_SECRET is required",
      "SHOPIFY_APP_URL is required",
    ]);
  });

  it("names malformed variables and says what is expected", () => {
    const found = problems({ ...valid, DATABASE_URL: "mysql://x", REDIS_URL: "127.0.0.1:6379", PORT: "abc" });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^DATABASE_URL must be a URL starting with postgresql: or postgres:/);
    expect(found[1]).toMatch(/^REDIS_URL /);
    expect(found[2]).toMatch(/^PORT /);
  });

  it("refuses development-only switches in production", () => {
    expect(problems({ ...valid, NODE_ENV: "production", SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4010" })).toEqual([
      "SHOPIFY_ADMIN_API_ORIGIN must not be set in production",
    ]);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ ...valid, REDIS_URL: "" }).REDIS_URL).toBeUndefined();
  });
});

describe("production operator access", () => {
  const production = { ...valid, NODE_ENV: "production", REDIS_URL: "redis://127.0.0.1:6379" };

  it("stops a production start without the metrics token or operator credentials, naming each variable", () => {
    const found = problems(production);
    expect(found.map((problem) => problem.split(" ")[0])).toEqual(["METRICS_TOKEN", "OPS_USERNAME", "OPS_PASSWORD"]);
  });

  it("starts with them", () => {
    const env = parseEnv({
      ...production,
      METRICS_TOKEN: "a-token-of-sixteen+",
      OPS_USERNAME: "operator",
      OPS_PASSWORD: "a-long-password",
    });
    expect(env.METRICS_PORT).toBe(9464);
  });
});
