// customers(query:) as Shopify documents it for 2026-04, for the fields the
// simulator keeps: free text (names, email, phone), email (tokenized: quote
// it for an exact match, `email:*` = has one), first_name, last_name, phone,
// id, tag, tag_not, orders_count, country, accepts_marketing, created_at /
// customer_date, updated_at.
import { parseSearchQuery, searchPredicate, type CustomField, type SearchTerm } from "../../connections";
import { MARKETING_STATES, type ShopStore } from "../../store";
import type { ViewContext } from "../common";

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether `needle` occurs as consecutive tokens of `haystack` (the last one as a prefix when `prefixLast`). */
function containsTokens(haystack: string[], needle: string[], prefixLast: boolean): boolean {
  if (needle.length === 0) return false;
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    let all = true;
    for (let k = 0; k < needle.length && all; k++) {
      const last = k === needle.length - 1;
      all = prefixLast && last ? haystack[start + k].startsWith(needle[k]) : haystack[start + k] === needle[k];
    }
    if (all) return true;
  }
  return false;
}

/** A field over one personal-data string: `*` = present, quoted = exact, else token phrase. */
function personalField(store: ShopStore, read: (row: number) => string | null | undefined): CustomField {
  return {
    matches: (term: SearchTerm) => {
      if (term.value === "*" && !term.quoted) return (row) => Boolean(read(row));
      const wanted = term.value.toLowerCase();
      const wantedTokens = tokens(term.value);
      return (row) => {
        if (store.isRedacted(row)) return false;
        const value = read(row);
        if (!value) return false;
        return term.quoted ? value.toLowerCase() === wanted : containsTokens(tokens(value), wantedTokens, false);
      };
    },
  };
}

/** Free text: each word is a token prefix of the name, email or phone; a quoted phrase must appear as is. */
function freeText(store: ShopStore): CustomField {
  return {
    matches: (term: SearchTerm) => {
      const wanted = tokens(term.value);
      return (row) => {
        const pd = store.personalData(row);
        if (!pd) return false;
        const fields = [tokens(`${pd.firstName} ${pd.lastName}`), tokens(pd.email), tokens(pd.phone)];
        if (term.quoted) return fields.some((field) => containsTokens(field, wanted, false));
        return wanted.every((word) => fields.some((field) => field.some((t) => t.startsWith(word))));
      };
    },
  };
}

export function customerFilter(ctx: ViewContext, query: string | null | undefined): (row: number) => boolean {
  const s = ctx.shop.store;
  const pd = (row: number) => s.personalData(row);
  const search = searchPredicate(
    parseSearchQuery(query),
    {
      default: freeText(s),
      email: personalField(s, (r) => pd(r)?.email),
      first_name: personalField(s, (r) => pd(r)?.firstName),
      last_name: personalField(s, (r) => pd(r)?.lastName),
      phone: personalField(s, (r) => pd(r)?.phone),
      country: personalField(s, (r) => pd(r)?.country),
      updated_at: (r) => s.c.updatedAt[r],
      created_at: (r) => s.c.createdAt[r],
      customer_date: (r) => s.c.createdAt[r],
      id: (r) => s.c.id[r],
      tag: (r) => s.tagsOf(r),
      tag_not: {
        matches: (term) => {
          const excluded = term.value.split(",").map((t) => t.trim().toLowerCase());
          return (row) => !s.tagsOf(row).some((t) => excluded.includes(t.toLowerCase()));
        },
      },
      orders_count: (r) => s.c.orders[r],
      accepts_marketing: (r) => (MARKETING_STATES[s.c.marketing[r]] === "SUBSCRIBED" ? "true" : "false"),
    },
    "customers",
    (digits) => ctx.shop.ids.comparable(digits),
  );
  return (row) => !s.isDeleted(row) && search(row);
}
