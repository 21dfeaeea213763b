// Every UI string lives in one locale file (app/locales/en.json), so a
// translation is one more file. t("nav.overview") reads a dotted key;
// {name} placeholders are filled from `values`. Keys are checked at compile
// time against the English file.
import en from "./locales/en.json";

type Messages = typeof en;
type Join<K, P> = K extends string ? (P extends string ? `${K}.${P}` : never) : never;
type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : Join<K, Paths<T[K]>>;
}[keyof T & string];

export type MessageKey = Paths<Messages>;

/** The English message for `key`, with {placeholders} replaced. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  let node: unknown = en;
  for (const part of key.split(".")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "string") throw new Error(`Missing message ${key}`);
  return node.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Whether `key` names a message (for keys built at run time, e.g. from a family name). */
export function hasMessage(key: string): key is MessageKey {
  let node: unknown = en;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string";
}
