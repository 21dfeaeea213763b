import { describe, expect, it } from "vitest";
import { lacksWorkerSettings, workerEnv, workerExecArgv } from "./node-flags";

describe("workerExecArgv", () => {
  it("gives the worker processes 32 MB semi-spaces and gc, after the flags they were started with", () => {
    expect(workerExecArgv(["--import", "tsx"], undefined)).toEqual([
      "--import",
      "tsx",
      "--max-semi-space-size=32",
      "--expose-gc",
    ]);
  });

  it("keeps a semi-space size or gc set by the flags or by NODE_OPTIONS, and adds neither twice", () => {
    expect(workerExecArgv(["--max-semi-space-size=32"], "--expose-gc")).toEqual(["--max-semi-space-size=32"]);
    expect(workerExecArgv(["--expose-gc"], "--max-semi-space-size=16 --trace-gc")).toEqual(["--expose-gc"]);
    expect(workerExecArgv([], "")).toEqual(["--max-semi-space-size=32", "--expose-gc"]);
  });

  it("tells whether a process lacks one of them or the worker's environment (then even one worker process is supervised)", () => {
    const withEnv = { MALLOC_MMAP_THRESHOLD_: "131072" };
    expect(lacksWorkerSettings(["--import", "tsx"], undefined, withEnv)).toBe(true);
    expect(lacksWorkerSettings(["--expose-gc"], undefined, withEnv)).toBe(true);
    expect(lacksWorkerSettings(["--expose-gc", "--max-semi-space-size=32"], undefined, withEnv)).toBe(false);
    expect(lacksWorkerSettings([], "--max-semi-space-size=32 --expose-gc", withEnv)).toBe(false);
    expect(lacksWorkerSettings(["--expose-gc", "--max-semi-space-size=32"], undefined, {})).toBe(true);
  });
});

describe("workerEnv", () => {
  it("fixes glibc's mmap threshold at 128 KB for the worker processes", () => {
    expect(workerEnv({})).toEqual({ MALLOC_MMAP_THRESHOLD_: "131072" });
    expect(workerEnv({ GLIBC_TUNABLES: "" })).toEqual({ MALLOC_MMAP_THRESHOLD_: "131072" });
  });

  it("leaves a threshold the deployment set, by the variable or by glibc's tunables, as it is", () => {
    expect(workerEnv({ MALLOC_MMAP_THRESHOLD_: "65536" })).toEqual({});
    expect(workerEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144" })).toEqual({});
    expect(workerEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2" })).toEqual({ MALLOC_MMAP_THRESHOLD_: "131072" });
  });
});
