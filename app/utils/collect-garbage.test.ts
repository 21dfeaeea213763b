import { afterEach, describe, expect, it, vi } from "vitest";
import { collectGarbage, collectGarbageIfGrown, collectGarbageOnGrowth } from "./collect-garbage";

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

  it("collects on growth only once the process has grown by the amount given since it last collected", () => {
    const gc = vi.fn();
    (globalThis as { gc?: () => void }).gc = gc;
    const never = collectGarbageOnGrowth(Number.MAX_SAFE_INTEGER);
    never();
    never();
    expect(gc).not.toHaveBeenCalled();
    const always = collectGarbageOnGrowth(0);
    always();
    always();
    expect(gc).toHaveBeenCalledTimes(2);
  });

  it("collects only where the process has grown by the amount given since the moment named", () => {
    const gc = vi.fn();
    (globalThis as { gc?: () => void }).gc = gc;
    const now = process.memoryUsage.rss();
    expect(collectGarbageIfGrown(now, Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(gc).not.toHaveBeenCalled();
    expect(collectGarbageIfGrown(now - 1024, 1024)).toBeGreaterThanOrEqual(0);
    expect(gc).toHaveBeenCalledTimes(1);
  });
});
