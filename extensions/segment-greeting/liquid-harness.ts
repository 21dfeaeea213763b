// Renders this theme app extension's blocks with liquidjs, with only what
// Shopify adds to standard Liquid and these files use, implemented as Shopify
// documents it:
// - {% schema %} ... {% endschema %}: read by Shopify, never rendered;
// - the `t` filter: the extension's storefront locale (locales/en.default.json),
//   HTML-escaped unless the key ends in _html, as Shopify does;
// - `render` of the extension's snippets, which see global objects (customer)
//   but not the caller's variables.
// strictFilters is on: any other Shopify filter in the blocks fails the tests
// instead of rendering as an unfaithful no-op.
//
// This file and the tests sit at the top of the extension folder on purpose:
// Shopify CLI bundles only files one folder deep (assets/, blocks/, locales/,
// snippets/) and refuses any other folder.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Liquid, type TagToken, type TopLevelToken } from "liquidjs";

export const EXTENSION_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface ShopifyCustomer {
  id: number;
  first_name?: string;
  tags: string[];
  /** customer.metafields[namespace][key] = { value } */
  metafields: Record<string, Record<string, { value: unknown }>>;
}

export interface BlockSchema {
  name: string;
  target: string;
  stylesheet?: string;
  settings: Array<{ type: string; id: string; label: string; info?: string; default?: string }>;
}

function readJson(relativePath: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, relativePath), "utf8"));
}

function lookup(tree: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => {
    if (node && typeof node === "object" && part in node) return (node as Record<string, unknown>)[part];
    return undefined;
  }, tree);
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);

export function createEngine(): Liquid {
  const engine = new Liquid({
    root: [path.join(EXTENSION_DIR, "blocks")],
    partials: [path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    cache: false,
  });
  engine.registerTag("schema", {
    parse(_token: TagToken, remainingTokens: TopLevelToken[]) {
      while (remainingTokens.length > 0) {
        const token = remainingTokens.shift() as TopLevelToken & { name?: string };
        if (token.name === "endschema") return;
      }
      throw new Error("{% schema %} is not closed by {% endschema %}");
    },
    render() {
      return "";
    },
  });
  const locale = readJson("locales/en.default.json");
  // {{ 'key' | t: name: value }} interpolates {{ name }} in the translation; liquidjs
  // hands keyword arguments to filters as [name, value] pairs.
  engine.registerFilter("t", (key: string, ...keywords: Array<[string, unknown]>) => {
    const template = lookup(locale, key);
    if (typeof template !== "string") throw new Error(`translation missing: en.${key}`);
    const values = Object.fromEntries(keywords);
    const value = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ""));
    return key.endsWith("_html") ? value : escapeHtml(value);
  });
  return engine;
}

/** The block's {% schema %} JSON. */
export function blockSchema(block: string): BlockSchema {
  const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${block}.liquid`), "utf8");
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match) throw new Error(`blocks/${block}.liquid has no schema`);
  return JSON.parse(match[1]) as BlockSchema;
}

/** Default settings of a block, as the theme editor fills them in for a newly added block. */
function defaultSettings(block: string): Record<string, string> {
  return Object.fromEntries(blockSchema(block).settings.map((setting) => [setting.id, setting.default ?? ""]));
}

/**
 * Renders blocks/<block>.liquid for a customer (null = guest) with the given
 * settings over the block's defaults, on the storefront or in the theme
 * editor (designMode); returns the HTML with blank lines removed.
 */
export async function renderBlock(
  block: string,
  customer: ShopifyCustomer | null,
  settings: Record<string, string> = {},
  options: { designMode?: boolean } = {},
): Promise<string> {
  const engine = createEngine();
  const scope = { block: { settings: { ...defaultSettings(block), ...settings } } };
  // customer and request are global objects in Shopify: visible inside rendered snippets too.
  const request = { design_mode: options.designMode === true };
  const html: string = await engine.renderFile(block, scope, { globals: { customer, request } });
  return html
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .join("\n");
}
