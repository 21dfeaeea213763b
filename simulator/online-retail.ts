// Loads the UCI Online Retail transactions into a shop. Mapping (see README):
// invoices become orders (id ORDER_ID_BASE + invoice number, name "#<invoice>"),
// CustomerID 17850.0 becomes gid://shopify/Customer/17850, rows without a
// customer are guest orders, "C" invoices refund the customer's earlier order
// lines with the same StockCode, "A" invoices (bad debt) are skipped.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import type { Shop } from "./shop.js";
import { hashInt } from "./util.js";
import { ORDER_ID_BASE, type NewLineItem } from "./store.js";

export interface OnlineRetailSummary {
  rows: number;
  customers: number;
  orders: number;
  guestOrders: number;
  emptyOrders: number;
  refunds: number;
  cancelled: number;
  refundLines: { matched: number; unmatched: number };
  invoices: {
    total: number;
    orders: number;
    cancellations: number;
    badDebtAdjustments: number;
  };
  skippedRows: number;
  skippedByReason: Record<string, number>;
}

export interface StandaloneRefund {
  invoice: string;
  customerId: number | null;
  stockCode: string;
  quantity: number;
  amountCents: number;
  at: number;
}

interface InvoiceLine {
  stockCode: string;
  quantity: number;
  priceCents: number;
}

interface Invoice {
  number: string;
  customerId: number | null;
  at: number; // seconds, UTC
  lines: InvoiceLine[];
}

/** Splits one CSV line, honouring double-quoted fields with "" escapes. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** Last Sunday of a month, as a UTC day number. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** Europe/London local time to UTC seconds (BST: last Sunday of March to last Sunday of October, 01:00 UTC). */
export function londonToUtcSeconds(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const bstStart = Date.UTC(y, 2, lastSunday(y, 2), 1);
  const bstEnd = Date.UTC(y, 9, lastSunday(y, 9), 1);
  const offsetMs = asUtc - 3600_000 >= bstStart && asUtc - 3600_000 < bstEnd ? 3600_000 : 0;
  return Math.floor((asUtc - offsetMs) / 1000);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;
const HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

export async function loadOnlineRetail(
  shop: Shop,
  file: string,
): Promise<OnlineRetailSummary & { standaloneRefunds: StandaloneRefund[] }> {
  const store = shop.store;
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const invoices = new Map<string, Invoice>();
  const customerCountry = new Map<number, string>();
  const customerFirstSeen = new Map<number, number>();
  const dateCache = new Map<string, number>();
  const descriptions = new Map<string, string>();
  const badDebtInvoices = new Set<string>();
  let rows = 0;

  const input = createReadStream(file).pipe(
    file.endsWith(".gz") ? createGunzip() : new (await import("node:stream")).PassThrough(),
  );
  const lines = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (first) {
      first = false;
      if (line.trim() !== HEADER) throw new Error(`Unexpected Online Retail header in ${file}: ${line.slice(0, 120)}`);
      continue;
    }
    if (line.length === 0) continue;
    rows++;
    const f = splitCsvLine(line);
    if (f.length !== 8) {
      skip("wrongColumnCount");
      continue;
    }
    const [invoiceNo, stockCode, description, quantityText, dateText, priceText, customerText, country] = f;
    if (!/^[A-Z]?\d+$/.test(invoiceNo)) {
      skip("badInvoiceNo");
      continue;
    }
    if (invoiceNo.startsWith("A")) {
      // Bad-debt adjustments are bookkeeping, not purchases.
      badDebtInvoices.add(invoiceNo);
      skip("badDebtAdjustment");
      continue;
    }
    if (!/^-?\d+$/.test(quantityText)) {
      skip("badQuantity");
      continue;
    }
    const price = Number(priceText);
    if (priceText === "" || !Number.isFinite(price)) {
      skip("badUnitPrice");
      continue;
    }
    let at = dateCache.get(dateText);
    if (at === undefined) {
      const m = DATE_PATTERN.exec(dateText);
      if (!m) {
        skip("badInvoiceDate");
        continue;
      }
      at = londonToUtcSeconds(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
      dateCache.set(dateText, at);
    }
    let customerId: number | null = null;
    if (customerText !== "") {
      if (!/^\d+(\.0+)?$/.test(customerText)) {
        skip("badCustomerId");
        continue;
      }
      customerId = Number(customerText);
    }
    if (!stockCode) {
      skip("missingStockCode");
      continue;
    }
    let invoice = invoices.get(invoiceNo);
    if (!invoice) {
      invoice = { number: invoiceNo, customerId, at, lines: [] };
      invoices.set(invoiceNo, invoice);
    } else if (invoice.customerId !== customerId) {
      skip("customerDiffersWithinInvoice");
      continue;
    }
    if (customerId !== null) {
      if (!customerCountry.has(customerId)) customerCountry.set(customerId, country || "Unspecified");
      const seen = customerFirstSeen.get(customerId);
      if (seen === undefined || at < seen) customerFirstSeen.set(customerId, at);
    }
    const quantity = Number(quantityText);
    const cancellation = invoiceNo.startsWith("C");
    // Lines are validated after the invoice is registered: an invoice whose
    // every line is skipped still exists (as an order with no line items).
    if (!cancellation && quantity <= 0) {
      skip("nonPositiveQuantity");
      continue;
    }
    if (cancellation && quantity >= 0) {
      skip("cancellationWithNonNegativeQuantity");
      continue;
    }
    if (price < 0) {
      skip("negativeUnitPrice");
      continue;
    }
    if (!descriptions.has(stockCode) && description) descriptions.set(stockCode, description);
    invoice.lines.push({
      stockCode,
      quantity,
      priceCents: Math.round(price * 100),
    });
  }

  // Customers in ascending CustomerID, so ids grow with insertion order.
  const customerIds = [...customerCountry.keys()].sort((a, b) => a - b);
  store.reserve(customerIds.length, invoices.size, rows);
  for (const id of customerIds) {
    const h = hashInt(id);
    store.addCustomer({
      id,
      createdAt: customerFirstSeen.get(id)!,
      country: customerCountry.get(id),
      marketingState: h % 100 < 45 ? "SUBSCRIBED" : h % 100 < 52 ? "UNSUBSCRIBED" : "NOT_SUBSCRIBED",
    });
  }
  const productIndex = (stockCode: string) =>
    store.productIndexBySku.get(stockCode) ??
    store.addProduct({
      sku: stockCode,
      title: descriptions.get(stockCode) ?? stockCode,
      productType: stockCode === "POST" || stockCode === "DOT" ? "Postage" : "Homeware",
      vendor: "Online Retail",
    });

  const byNumber = (a: Invoice, b: Invoice) =>
    Number(a.number.replace(/^\D/, "")) - Number(b.number.replace(/^\D/, "")) || a.at - b.at;
  const sales = [...invoices.values()].filter((i) => !i.number.startsWith("C")).sort(byNumber);
  const cancellations = [...invoices.values()]
    .filter((i) => i.number.startsWith("C"))
    .sort((a, b) => a.at - b.at || byNumber(a, b));

  let guestOrders = 0;
  let emptyOrders = 0;
  for (const invoice of sales) {
    const customerIndex = invoice.customerId === null ? -1 : store.findCustomer(invoice.customerId)!;
    if (customerIndex < 0) guestOrders++;
    if (invoice.lines.length === 0) emptyOrders++;
    const lineItems: NewLineItem[] = invoice.lines.map((l) => ({
      productIndex: productIndex(l.stockCode),
      quantity: l.quantity,
      unitPriceCents: l.priceCents,
    }));
    store.addOrder({
      id: ORDER_ID_BASE + Number(invoice.number),
      customerIndex,
      createdAt: invoice.at,
      processedAt: invoice.at,
      lineItems,
      sourceName: "web",
    });
  }

  // Refunds: each C line refunds the same StockCode on the customer's most
  // recent earlier orders (newest first) until its quantity is used up.
  let refunds = 0;
  let cancelled = 0;
  let matchedLines = 0;
  let unmatchedLines = 0;
  const standaloneRefunds: StandaloneRefund[] = [];
  for (const invoice of cancellations) {
    const perOrder = new Map<number, { lineIndex: number; quantity: number }[]>();
    const customerIndex = invoice.customerId === null ? undefined : store.findCustomer(invoice.customerId);
    const candidates =
      customerIndex === undefined
        ? []
        : store
            .customerOrders(customerIndex)
            .filter((o) => store.o.processedAt[o] <= invoice.at)
            .reverse();
    for (const line of invoice.lines) {
      let remaining = -line.quantity;
      const product = store.productIndexBySku.get(line.stockCode);
      if (product !== undefined) {
        for (const order of candidates) {
          if (remaining === 0) break;
          const start = store.o.lineStart[order];
          for (let j = start; j < start + store.o.lineCount[order] && remaining > 0; j++) {
            if (store.l.product[j] !== product) continue;
            const planned =
              perOrder
                .get(order)
                ?.filter((p) => p.lineIndex === j)
                .reduce((sum, p) => sum + p.quantity, 0) ?? 0;
            const available = store.l.currentQuantity[j] - planned;
            if (available <= 0) continue;
            const take = Math.min(available, remaining);
            const list = perOrder.get(order) ?? [];
            list.push({ lineIndex: j, quantity: take });
            perOrder.set(order, list);
            remaining -= take;
          }
        }
      }
      if (remaining < -line.quantity) matchedLines++;
      if (remaining > 0) {
        unmatchedLines++;
        standaloneRefunds.push({
          invoice: invoice.number,
          customerId: invoice.customerId,
          stockCode: line.stockCode,
          quantity: remaining,
          amountCents: remaining * line.priceCents,
          at: invoice.at,
        });
      }
    }
    for (const [order, refundLines] of perOrder) {
      store.addRefund(order, invoice.at, refundLines, `Online Retail cancellation ${invoice.number}`);
      refunds++;
      if (store.o.cancelledAt[order] === 0 && store.fullyRefunded(order)) {
        store.cancelOrder(order, invoice.at, "CUSTOMER");
        cancelled++;
      }
    }
  }

  const skippedRows = Object.values(skipped).reduce((a, b) => a + b, 0);
  return {
    rows,
    customers: customerIds.length,
    orders: sales.length,
    guestOrders,
    emptyOrders,
    refunds,
    cancelled,
    refundLines: { matched: matchedLines, unmatched: unmatchedLines },
    invoices: {
      total: invoices.size + badDebtInvoices.size,
      orders: sales.length,
      cancellations: cancellations.length,
      badDebtAdjustments: badDebtInvoices.size,
    },
    skippedRows,
    skippedByReason: skipped,
    standaloneRefunds,
  };
}
