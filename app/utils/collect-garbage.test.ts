import { afterEach, describe, expect, it, vi } from "vitest";
import { collectGarbage } from "./collect-garbage";

describe("collectGarbage", () => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  afterEach(() => {
    (globalThis as { gc?: () => void }).gc = exposed;
  });

  it("does nothing and says so where the process does not expose gc", () => {
    (globalThis as { gc?: () => void }).gc = undefined;
    expect(collectGarbage()).toBeNull();
  });

  it("collects once where gc is exposed, and says how long it took", () => {
    const gc = vi.fn();
    (globalThis as { gc?: () => void }).gc = gc;
    const ms = collectGarbage();
    expect(gc).toHaveBeenCalledTimes(1);
    expect(ms).toBeGreaterThanOrEqual(0);
  });
});
