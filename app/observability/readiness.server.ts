import prisma from "../db.server";
import { queues } from "../queues/registry.server";
import { QUEUE } from "../queues/names";

const TIMEOUT_MS = 5_000;

function within<T>(promise: Promise<T>, ms = TIMEOUT_MS): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), ms).unref()),
  ]);
}

/** The database (SELECT 1) and the queue backend (a count on the webhook queue) each answer within 5 s. */
export async function readiness(): Promise<{ status: "ok" | "error"; database: string; queue: string }> {
  const [database, queue] = await Promise.all([
    within(prisma.$queryRaw`SELECT 1`).then(
      () => "ok",
      () => "unreachable",
    ),
    within(queues().then((registry) => registry.get(QUEUE.webhooks).getJobCounts("waiting"))).then(
      () => "ok",
      () => "unreachable",
    ),
  ]);
  return { status: database === "ok" && queue === "ok" ? "ok" : "error", database, queue };
}
