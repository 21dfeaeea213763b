// Value validation for the metafield types the app writes, with Shopify's
// userError wording where we know it.

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

function parseJson(value: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

const SCALAR_VALIDATORS: Record<string, (value: string) => string | null> = {
  single_line_text_field: (v) =>
    /[\r\n]/.test(v) ? "Value must be a single line text string." : v.length > 65535 ? "Value is too long." : null,
  multi_line_text_field: (v) => (v.length > 65535 ? "Value is too long." : null),
  number_integer: (v) =>
    /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 9007199254740991 ? null : "Value must be an integer.",
  number_decimal: (v) => (/^-?\d+(\.\d+)?$/.test(v) ? null : "Value must be a decimal."),
  boolean: (v) => (v === "true" || v === "false" ? null : "Value must be true or false."),
  date: (v) => (validDate(v) ? null : "Value must be in YYYY-MM-DD format."),
  date_time: (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v) && !Number.isNaN(Date.parse(v))
      ? null
      : "Value must be in ISO 8601 date and time format.",
  json: (v) => (parseJson(v).ok ? null : "Value is invalid JSON."),
  url: (v) => (/^(https?|mailto|sms|tel):/.test(v) ? null : "Value must be a valid URL."),
  color: (v) => (/^#[0-9a-fA-F]{6}$/.test(v) ? null : "Value must be a hex color code."),
};

const SUPPORTED_METAFIELD_TYPES = [
  ...Object.keys(SCALAR_VALIDATORS),
  ...["single_line_text_field", "number_integer", "number_decimal", "date", "date_time", "url", "color"].map(
    (t) => `list.${t}`,
  ),
];

/** Returns an error message, or null when `value` is valid for `type`. */
export function validateMetafieldValue(
  type: string,
  value: string,
): { code: "INVALID_TYPE" | "INVALID_VALUE"; message: string } | null {
  if (type.startsWith("list.")) {
    const inner = SCALAR_VALIDATORS[type.slice(5)];
    if (!inner || !SUPPORTED_METAFIELD_TYPES.includes(type))
      return {
        code: "INVALID_TYPE",
        message: `Type '${type}' is not a valid type (or is not supported by the simulator).`,
      };
    const parsed = parseJson(value);
    if (!parsed.ok || !Array.isArray(parsed.value))
      return { code: "INVALID_VALUE", message: "Value must be a JSON array." };
    if (parsed.value.length > 128)
      return {
        code: "INVALID_VALUE",
        message: "Value must have at most 128 items.",
      };
    for (const item of parsed.value) {
      const text = typeof item === "string" ? item : JSON.stringify(item);
      const expectString =
        type === "list.single_line_text_field" ||
        type.includes("date") ||
        type.endsWith("url") ||
        type.endsWith("color");
      if (expectString && typeof item !== "string")
        return {
          code: "INVALID_VALUE",
          message: "Value must be an array of strings.",
        };
      const error = inner(text);
      if (error)
        return {
          code: "INVALID_VALUE",
          message: `Value at index ${parsed.value.indexOf(item)}: ${error}`,
        };
    }
    return null;
  }
  const validator = SCALAR_VALIDATORS[type];
  if (!validator)
    return {
      code: "INVALID_TYPE",
      message: `Type '${type}' is not a valid type (or is not supported by the simulator).`,
    };
  const error = validator(value);
  return error ? { code: "INVALID_VALUE", message: error } : null;
}
