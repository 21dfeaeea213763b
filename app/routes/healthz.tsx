// Plain Responses: remix-serve may install Remix's fetch polyfill, whose
// Response has no static json().

/** Liveness: the process answers requests. Dependencies are /readyz's business. */
export const loader = async () =>
  new Response(JSON.stringify({ status: "ok" }), { headers: { "Content-Type": "application/json" } });
