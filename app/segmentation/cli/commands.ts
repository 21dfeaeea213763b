// The CLI commands as functions of (arguments, file contents) -> output, so
// they are testable without spawning a process. main.ts does the I/O.
import { assignTable } from "../assign";
import { fitShop } from "../cutoffs";
import { computeFeatureTable } from "../features/accumulator";
import { gammaGammaExpectedValue } from "../models/gamma-gamma";
import { bgnbdConditionalExpected, bgnbdProbabilityAlive } from "../models/bgnbd";
import { fitShopModels, summarizePurchases } from "../models/predict";
import { parseSettings } from "../settings";
import { InputError, parseIsoDate, parseTransactionsCsv } from "./transactions";

const DAY = 86_400_000;

export interface FitArgs {
  transactionsCsv: string;
  fileName: string;
  calibrationEnd: string;
  unit: "week" | "day";
  horizon?: number;
  wantPredictions: boolean;
}

export interface FitOutput {
  summary: {
    customers: number;
    bgnbd: { r: number; alpha: number; a: number; b: number; logLik: number };
    gammaGamma: {
      p: number;
      q: number;
      gamma: number;
      customers: number;
    } | null;
    fitMs: { bgnbd: number; gammaGamma: number };
  };
  predictionsCsv: string | null;
}

export function runFit(args: FitArgs): FitOutput {
  const endMs = parseIsoDate(args.calibrationEnd);
  if (endMs === null) throw new InputError(`--calibration-end "${args.calibrationEnd}" is not a date YYYY-MM-DD`);
  const orders = parseTransactionsCsv(args.transactionsCsv, args.fileName);
  const table = computeFeatureTable(orders, {
    timeZone: "UTC",
    expectedOrders: orders.length,
  });
  const endDay = endMs / DAY;
  const unitDays = args.unit === "week" ? 7 : 1;
  // Amounts are fitted in the file's units (not minor units) so gamma reads like the published value.
  const fits = fitShopModels(
    {
      customers: table.size,
      dayOffsets: table.dayOffsets,
      days: table.days,
      dayTotals: table.dayTotalsMinor,
    },
    endDay,
    unitDays,
    0.01,
  );
  const bg = fits.bgnbd;
  const gg = fits.gammaGamma;
  const summary: FitOutput["summary"] = {
    customers: fits.customers,
    bgnbd: { ...bg.params, logLik: bg.logLik },
    gammaGamma: gg ? { ...gg.params, customers: gg.customers } : null,
    fitMs: { bgnbd: round(fits.bgnbdMs), gammaGamma: round(fits.gammaGammaMs) },
  };
  let predictionsCsv: string | null = null;
  if (args.wantPredictions) {
    const horizon = args.horizon ?? (args.unit === "week" ? 52 : 365);
    const lines = ["customer_id,frequency,recency,T,p_alive,expected_purchases,expected_value"];
    for (let i = 0; i < table.size; i++) {
      const s = summarizePurchases(
        table.days,
        table.dayTotalsMinor,
        table.dayOffsets[i],
        table.dayOffsets[i + 1],
        endDay,
      );
      if (!s) continue;
      const tx = s.txDays / unitDays;
      const T = s.Tdays / unitDays;
      const value = gg && gg.params.q > 1 ? gammaGammaExpectedValue(gg.params, s.x, s.repeatMean / 100) : NaN;
      lines.push(
        [
          csvField(table.customerIds[i]),
          s.x,
          num(tx),
          num(T),
          num(bgnbdProbabilityAlive(bg.params, s.x, tx, T)),
          num(bgnbdConditionalExpected(bg.params, horizon, s.x, tx, T)),
          Number.isFinite(value) ? num(value) : "",
        ].join(","),
      );
    }
    predictionsCsv = `${lines.join("\n")}\n`;
  }
  return { summary, predictionsCsv };
}

export interface SegmentArgs {
  transactionsCsv: string;
  fileName: string;
  asOf: string;
  settingsJson?: unknown;
}

export function runSegment(args: SegmentArgs): {
  customers: number;
  segments: Record<string, number>;
} {
  const asOfMs = parseIsoDate(args.asOf);
  if (asOfMs === null) throw new InputError(`--as-of "${args.asOf}" is not a date YYYY-MM-DD`);
  const settings = parseSettings({
    ...(args.settingsJson as object | undefined),
    timeZone: "UTC",
  });
  // Transactions after the as-of date have not happened yet from its point of view.
  const orders = parseTransactionsCsv(args.transactionsCsv, args.fileName).filter((o) => o.processedAt <= asOfMs);
  if (orders.length === 0) throw new InputError(`${args.fileName}: no transactions on or before ${args.asOf}`);
  const table = computeFeatureTable(orders, {
    timeZone: "UTC",
    expectedOrders: orders.length,
  });
  const cutoffs = fitShop(table, settings, asOfMs);
  const summary = assignTable(table, cutoffs, settings, asOfMs);
  return { customers: summary.customers, segments: summary.counts };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(8).replace(/\.?0+$/, "");
}
function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
