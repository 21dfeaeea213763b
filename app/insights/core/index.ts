// The insights stage's pure part: calendar periods in the shop's time zone,
// interval statistics, discount lift, the movement matrix, snapshot figures
// and alerts, per-segment metrics. No database, queue or HTTP (ADR 021).
export * from "./calendar";
export * from "./lift";
export * from "./movement";
export * from "./predicted-purchase-days";
export * from "./segment-metrics";
export * from "./settings";
export * from "./snapshots";
export * from "./stats";
