import { describe, expect, it } from "vitest";
import { lacksWorkerFlags, workerExecArgv } from "./node-flags";

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

  it("tells whether a process lacks one of them (then even one worker process is supervised)", () => {
    expect(lacksWorkerFlags(["--import", "tsx"], undefined)).toBe(true);
    expect(lacksWorkerFlags(["--expose-gc"], undefined)).toBe(true);
    expect(lacksWorkerFlags(["--expose-gc", "--max-semi-space-size=32"], undefined)).toBe(false);
    expect(lacksWorkerFlags([], "--max-semi-space-size=32 --expose-gc")).toBe(false);
  });
});
