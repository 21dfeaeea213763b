import { readiness } from "../observability/readiness.server";

/** Readiness: 200 when the database and the queue backend answer, 503 naming what does not. */
export const loader = async () => {
  const report = await readiness();
  return new Response(JSON.stringify(report), {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
};
