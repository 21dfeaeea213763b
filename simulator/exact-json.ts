// JSON with exact big integers. JSON.stringify cannot write a bigint; Shopify's
// REST payloads carry ids above 2^53 as plain JSON numbers, so bigints are
// written as their raw digits. Objects without bigints take JSON.stringify.

function write(value: unknown, out: string[]): void {
  if (typeof value === "bigint") {
    out.push(value.toString());
    return;
  }
  if (value === null || typeof value !== "object") {
    // Strings, numbers, booleans; undefined and functions as JSON.stringify writes them in arrays.
    out.push(JSON.stringify(value) ?? "null");
    return;
  }
  const withToJSON = value as { toJSON?: () => unknown };
  if (typeof withToJSON.toJSON === "function") {
    write(withToJSON.toJSON(), out);
    return;
  }
  if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i) out.push(",");
      write(item, out);
    });
    out.push("]");
    return;
  }
  out.push("{");
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(key), ":");
    write(item, out);
  }
  out.push("}");
}

export function stringifyExact(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  const out: string[] = [];
  write(value, out);
  return out.join("");
}
