import prisma from "../db.server";

// Plain Responses: remix-serve may install Remix's fetch polyfill, whose
// Response has no static json().
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** Liveness and readiness: the app answers and its database answers. */
export const loader = async () => {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return json({ status: "ok" });
  } catch {
    return json({ status: "error", database: "unreachable" }, 503);
  }
};
