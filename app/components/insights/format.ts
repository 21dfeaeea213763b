import { hasMessage, t } from "../../i18n";
import { LEFT_STORE, NO_SEGMENT } from "../../insights/core/movement";
import { currencyExponent } from "../../utils/money";

export const percent = (share: number | null, digits = 1) =>
  share === null ? "—" : `${(share * 100).toFixed(digits)}%`;

export const signedPercent = (share: number) => `${share > 0 ? "+" : ""}${(share * 100).toFixed(1)} pts`;

export function money(minor: number | null, currency: string): string {
  if (minor === null) return "—";
  const exponent = currencyExponent(currency);
  return (minor / 10 ** exponent).toLocaleString("en-US", {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
}

/** A segment key's title from the shop's catalog, or the matrix's special columns. */
export function labeller(labels: ReadonlyArray<{ key: string; title: string }>): (key: string) => string {
  const titles = new Map(labels.map((l) => [l.key, l.title]));
  return (key) => {
    if (key === NO_SEGMENT) return t("insights.matrix.none");
    if (key === LEFT_STORE) return t("insights.matrix.left");
    return titles.get(key) ?? key;
  };
}

export function familyTitle(family: string): string {
  const key = `families.${family}`;
  return hasMessage(key) ? t(key) : family;
}
