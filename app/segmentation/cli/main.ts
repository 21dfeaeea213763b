// Command line over the segmentation core (the I/O edge: the only place in
// app/segmentation that touches the filesystem and the process).
//   segments fit --transactions FILE.csv --calibration-end YYYY-MM-DD --unit week|day [--predictions OUT.csv] [--horizon N]
//   segments segment --transactions FILE.csv --as-of YYYY-MM-DD [--settings SETTINGS.json]
// Exit codes: 0 success, 2 bad input or usage (one message on stderr), 1 unexpected failure.
import { readFileSync, writeFileSync } from "node:fs";
import { InvalidSettingsError } from "../settings";
import { runFit, runSegment } from "./commands";
import { InputError } from "./transactions";

const USAGE = `usage:
  segments fit --transactions FILE.csv --calibration-end YYYY-MM-DD --unit week|day [--predictions OUT.csv] [--horizon N]
  segments segment --transactions FILE.csv --as-of YYYY-MM-DD [--settings SETTINGS.json]`;

function parseFlags(argv: string[], allowed: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new InputError(`unexpected argument "${a}"\n${USAGE}`);
    const name = a.slice(2);
    if (!allowed.includes(name)) throw new InputError(`unknown option --${name}\n${USAGE}`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new InputError(`option --${name} needs a value`);
    flags[name] = v;
    i++;
  }
  return flags;
}

function need(flags: Record<string, string>, name: string): string {
  const v = flags[name];
  if (v === undefined) throw new InputError(`missing --${name}\n${USAGE}`);
  return v;
}

function readInput(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === "fit") {
    const flags = parseFlags(rest, ["transactions", "calibration-end", "unit", "predictions", "horizon"]);
    const file = need(flags, "transactions");
    const unit = need(flags, "unit");
    if (unit !== "week" && unit !== "day") throw new InputError(`--unit must be "week" or "day", got "${unit}"`);
    let horizon: number | undefined;
    if (flags.horizon !== undefined) {
      horizon = Number(flags.horizon);
      if (!(horizon > 0) || !Number.isFinite(horizon))
        throw new InputError(`--horizon must be a positive number, got "${flags.horizon}"`);
    }
    const out = runFit({
      transactionsCsv: readInput(file),
      fileName: file,
      calibrationEnd: need(flags, "calibration-end"),
      unit,
      horizon,
      wantPredictions: flags.predictions !== undefined,
    });
    if (flags.predictions !== undefined && out.predictionsCsv !== null)
      writeFileSync(flags.predictions, out.predictionsCsv);
    process.stdout.write(`${JSON.stringify(out.summary)}\n`);
    return 0;
  }
  if (command === "segment") {
    const flags = parseFlags(rest, ["transactions", "as-of", "settings"]);
    const file = need(flags, "transactions");
    let settingsJson: unknown;
    if (flags.settings !== undefined) {
      try {
        settingsJson = JSON.parse(readInput(flags.settings));
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`${flags.settings}: not valid JSON (${(e as Error).message})`);
      }
    }
    const out = runSegment({
      transactionsCsv: readInput(file),
      fileName: file,
      asOf: need(flags, "as-of"),
      settingsJson,
    });
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  }
  throw new InputError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof InputError || e instanceof InvalidSettingsError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
}
