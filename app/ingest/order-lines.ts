// An order's line items as the app keeps them (OrderRecord.lines) and the
// aggregates the engine reads, computed from them in one place: the bulk
// export, the webhook payload and a refund applied from its body all go
// through summarizeLines, so they store identical rows. Pure: no I/O.
import { compareIds, PayloadError } from "./payload-values";

export interface OrderLine {
  /** Shopify's numeric line item id. */
  id: string;
  /** Units still on the order (refunded and removed units excluded). */
  quantity: number;
  productId: string | null;
  /**
   * "" for a product without a type; null while unknown (REST line items carry
   * no product type: see product-types.server.ts).
   */
  productType: string | null;
  /** Original unit price, shop money, minor units. */
  unitPriceMinor: number;
}

export interface LineSummary {
  itemQuantity: number;
  lineCount: number;
  productIds: string[];
  productTypes: string[];
  avgUnitPriceMinor: number | null;
}

/** Lines in id order: the same order whatever order a payload or an export listed them in. */
export function sortLines(lines: OrderLine[]): OrderLine[] {
  return lines.sort((a, b) => compareIds(a.id, b.id));
}

/** The aggregates of the lines still on the order (removed or fully returned lines do not count). */
export function summarizeLines(lines: readonly OrderLine[]): LineSummary {
  const productIds = new Set<string>();
  const productTypes = new Set<string>();
  let quantity = 0;
  let priceTotal = 0;
  let lineCount = 0;
  for (const line of lines) {
    if (line.quantity <= 0) continue;
    lineCount++;
    if (line.productId) productIds.add(line.productId);
    if (line.productType) productTypes.add(line.productType);
    quantity += line.quantity;
    priceTotal += line.unitPriceMinor * line.quantity;
  }
  if (!Number.isSafeInteger(priceTotal)) {
    throw new PayloadError(`The order's line items total more than ${Number.MAX_SAFE_INTEGER} minor units`);
  }
  return {
    itemQuantity: quantity,
    lineCount,
    productIds: [...productIds].sort(compareIds),
    productTypes: [...productTypes].sort(),
    avgUnitPriceMinor: quantity > 0 ? Math.round(priceTotal / quantity) : null,
  };
}

/** Product ids of lines whose product type is not known yet. */
export function productsWithoutType(lines: readonly OrderLine[]): string[] {
  const ids = new Set<string>();
  for (const line of lines) if (line.productId && line.productType === null) ids.add(line.productId);
  return [...ids];
}

/**
 * The lines with product types filled in from `types` (product id -> type;
 * "" = the product has no type). Lines whose product is not in `types` keep
 * what they had.
 */
export function withTypes(lines: readonly OrderLine[], types: ReadonlyMap<string, string>): OrderLine[] {
  return lines.map((line) => {
    if (line.productType !== null || !line.productId) return line;
    const type = types.get(line.productId);
    return type === undefined ? line : { ...line, productType: type };
  });
}
