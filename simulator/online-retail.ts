// Loads the UCI Online Retail transactions into a shop. Mapping (see README):
// invoices become orders (id ORDER_ID_BASE + invoice number, name "#<invoice>"),
// CustomerID 17850.0 becomes gid://shopify/Customer/17850, rows without a
// customer are guest orders, "C" invoices refund the customer's earlier order
// lines with the same StockCode, "A" invoices (bad debt) are skipped.
import { createReadStream } from "node:fs";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import type { Shop } from "./shop";
import { ORDER_ID_BASE, type NewLineItem, type ShopStore } from "./store";
import { hashInt } from "./util";

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
  priceMinor: number;
}

interface Invoice {
  number: string;
  customerId: number | null;
  at: number; // seconds, UTC
  lines: InvoiceLine[];
}

/** Everything read from the file, before it becomes customers, orders and refunds. */
interface ParsedFile {
  rows: number;
  invoices: Map<string, Invoice>;
  customerCountry: Map<number, string>;
  customerFirstSeen: Map<number, number>;
  descriptions: Map<string, string>;
  badDebtInvoices: Set<string>;
  skipped: Record<string, number>;
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

/** Reads one data row into the parse state; returns the reason it was skipped, or null. */
function readRow(f: string[], state: ParsedFile, dateCache: Map<string, number>): string | null {
  if (f.length !== 8) return "wrongColumnCount";
  const [invoiceNo, stockCode, description, quantityText, dateText, priceText, customerText, country] = f;
  if (!/^[A-Z]?\d+$/.test(invoiceNo)) return "badInvoiceNo";
  if (invoiceNo.startsWith("A")) {
    // Bad-debt adjustments are bookkeeping, not purchases.
    state.badDebtInvoices.add(invoiceNo);
    return "badDebtAdjustment";
  }
  if (!/^-?\d+$/.test(quantityText)) return "badQuantity";
  const price = Number(priceText);
  if (priceText === "" || !Number.isFinite(price)) return "badUnitPrice";
  let at = dateCache.get(dateText);
  if (at === undefined) {
    const m = DATE_PATTERN.exec(dateText);
    if (!m) return "badInvoiceDate";
    at = londonToUtcSeconds(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
    dateCache.set(dateText, at);
  }
  let customerId: number | null = null;
  if (customerText !== "") {
    if (!/^\d+(\.0+)?$/.test(customerText)) return "badCustomerId";
    customerId = Number(customerText);
  }
  if (!stockCode) return "missingStockCode";
  let invoice = state.invoices.get(invoiceNo);
  if (!invoice) {
    invoice = { number: invoiceNo, customerId, at, lines: [] };
    state.invoices.set(invoiceNo, invoice);
  } else if (invoice.customerId !== customerId) return "customerDiffersWithinInvoice";
  if (customerId !== null) {
    if (!state.customerCountry.has(customerId)) state.customerCountry.set(customerId, country || "Unspecified");
    const seen = state.customerFirstSeen.get(customerId);
    if (seen === undefined || at < seen) state.customerFirstSeen.set(customerId, at);
  }
  const quantity = Number(quantityText);
  const cancellation = invoiceNo.startsWith("C");
  // Lines are validated after the invoice is registered: an invoice whose
  // every line is skipped still exists (as an order with no line items).
  if (!cancellation && quantity <= 0) return "nonPositiveQuantity";
  if (cancellation && quantity >= 0) return "cancellationWithNonNegativeQuantity";
  if (price < 0) return "negativeUnitPrice";
  if (!state.descriptions.has(stockCode) && description) state.descriptions.set(stockCode, description);
  invoice.lines.push({ stockCode, quantity, priceMinor: Math.round(price * 100) });
  return null;
}

/** Streams the CSV (gzip or plain) through csv-parse; quoted fields may hold commas. */
async function readFile(file: string): Promise<ParsedFile> {
  const state: ParsedFile = {
    rows: 0,
    invoices: new Map(),
    customerCountry: new Map(),
    customerFirstSeen: new Map(),
    descriptions: new Map(),
    badDebtInvoices: new Set(),
    skipped: {},
  };
  const dateCache = new Map<string, number>();
  let header: string | null = null;
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  // Records are handled in 'data' events (a for-await loop over the parser
  // costs about a second more on the full file).
  await pipeline(
    createReadStream(file),
    file.endsWith(".gz") ? createGunzip() : new PassThrough(),
    parser.on("data", (record: string[]) => {
      if (header === null) {
        header = record.join(",");
        if (header.trim() !== HEADER)
          parser.destroy(new Error(`Unexpected Online Retail header in ${file}: ${header.slice(0, 120)}`));
        return;
      }
      state.rows++;
      const reason = readRow(record, state, dateCache);
      if (reason) state.skipped[reason] = (state.skipped[reason] ?? 0) + 1;
    }),
  );
  return state;
}

/** Customers in ascending CustomerID, so ids grow with insertion order. */
function addCustomers(store: ShopStore, parsed: ParsedFile): number[] {
  const customerIds = [...parsed.customerCountry.keys()].sort((a, b) => a - b);
  store.reserve(customerIds.length, parsed.invoices.size, parsed.rows);
  for (const id of customerIds) {
    const h = hashInt(id);
    store.addCustomer({
      id,
      createdAt: parsed.customerFirstSeen.get(id)!,
      country: parsed.customerCountry.get(id),
      marketingState: h % 100 < 45 ? "SUBSCRIBED" : h % 100 < 52 ? "UNSUBSCRIBED" : "NOT_SUBSCRIBED",
    });
  }
  return customerIds;
}

function productIndex(store: ShopStore, parsed: ParsedFile, stockCode: string): number {
  return (
    store.productIndexBySku.get(stockCode) ??
    store.addProduct({
      sku: stockCode,
      title: parsed.descriptions.get(stockCode) ?? stockCode,
      productType: stockCode === "POST" || stockCode === "DOT" ? "Postage" : "Homeware",
      vendor: "Online Retail",
    })
  );
}

function addOrders(store: ShopStore, parsed: ParsedFile, sales: Invoice[]) {
  let guestOrders = 0;
  let emptyOrders = 0;
  for (const invoice of sales) {
    const customerIndex = invoice.customerId === null ? -1 : store.findCustomer(invoice.customerId)!;
    if (customerIndex < 0) guestOrders++;
    if (invoice.lines.length === 0) emptyOrders++;
    const lineItems: NewLineItem[] = invoice.lines.map((l) => ({
      productIndex: productIndex(store, parsed, l.stockCode),
      quantity: l.quantity,
      unitPriceMinor: l.priceMinor,
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
  return { guestOrders, emptyOrders };
}

type PlannedRefunds = Map<number, { lineIndex: number; quantity: number }[]>;

/**
 * Takes up to `wanted` units of a product from the candidate orders (newest
 * first), counting what this cancellation already planned; returns what is left.
 */
function planRefundLine(store: ShopStore, candidates: number[], product: number, wanted: number, plan: PlannedRefunds) {
  let remaining = wanted;
  for (const order of candidates) {
    if (remaining === 0) break;
    const start = store.o.lineStart[order];
    for (let j = start; j < start + store.o.lineCount[order] && remaining > 0; j++) {
      if (store.l.product[j] !== product) continue;
      const planned =
        plan
          .get(order)
          ?.filter((p) => p.lineIndex === j)
          .reduce((sum, p) => sum + p.quantity, 0) ?? 0;
      const available = store.l.currentQuantity[j] - planned;
      if (available <= 0) continue;
      const take = Math.min(available, remaining);
      const list = plan.get(order) ?? [];
      list.push({ lineIndex: j, quantity: take });
      plan.set(order, list);
      remaining -= take;
    }
  }
  return remaining;
}

/**
 * Refunds: each C line refunds the same StockCode on the customer's most
 * recent earlier orders (newest first) until its quantity is used up; one
 * refund per (C invoice, order). What cannot be matched is kept apart.
 */
function applyCancellations(store: ShopStore, cancellations: Invoice[]) {
  const result = { refunds: 0, cancelled: 0, matched: 0, unmatched: 0, standalone: [] as StandaloneRefund[] };
  for (const invoice of cancellations) {
    const plan: PlannedRefunds = new Map();
    const customerIndex = invoice.customerId === null ? undefined : store.findCustomer(invoice.customerId);
    const candidates =
      customerIndex === undefined
        ? []
        : store
            .customerOrders(customerIndex)
            .filter((o) => store.o.processedAt[o] <= invoice.at)
            .reverse();
    for (const line of invoice.lines) {
      const product = store.productIndexBySku.get(line.stockCode);
      const wanted = -line.quantity;
      const remaining = product === undefined ? wanted : planRefundLine(store, candidates, product, wanted, plan);
      if (remaining < wanted) result.matched++;
      if (remaining > 0) {
        result.unmatched++;
        result.standalone.push({
          invoice: invoice.number,
          customerId: invoice.customerId,
          stockCode: line.stockCode,
          quantity: remaining,
          amountCents: remaining * line.priceMinor,
          at: invoice.at,
        });
      }
    }
    for (const [order, refundLines] of plan) {
      store.addRefund(order, invoice.at, refundLines, `Online Retail cancellation ${invoice.number}`);
      result.refunds++;
      if (store.o.cancelledAt[order] === 0 && store.fullyRefunded(order)) {
        store.cancelOrder(order, invoice.at, "CUSTOMER");
        result.cancelled++;
      }
    }
  }
  return result;
}

export async function loadOnlineRetail(
  shop: Shop,
  file: string,
): Promise<OnlineRetailSummary & { standaloneRefunds: StandaloneRefund[] }> {
  const store = shop.store;
  const parsed = await readFile(file);
  const customerIds = addCustomers(store, parsed);
  const byNumber = (a: Invoice, b: Invoice) =>
    Number(a.number.replace(/^\D/, "")) - Number(b.number.replace(/^\D/, "")) || a.at - b.at;
  const all = [...parsed.invoices.values()];
  const sales = all.filter((i) => !i.number.startsWith("C")).sort(byNumber);
  const cancellations = all.filter((i) => i.number.startsWith("C")).sort((a, b) => a.at - b.at || byNumber(a, b));
  const { guestOrders, emptyOrders } = addOrders(store, parsed, sales);
  const refunds = applyCancellations(store, cancellations);
  return {
    rows: parsed.rows,
    customers: customerIds.length,
    orders: sales.length,
    guestOrders,
    emptyOrders,
    refunds: refunds.refunds,
    cancelled: refunds.cancelled,
    refundLines: { matched: refunds.matched, unmatched: refunds.unmatched },
    invoices: {
      total: parsed.invoices.size + parsed.badDebtInvoices.size,
      orders: sales.length,
      cancellations: cancellations.length,
      badDebtAdjustments: parsed.badDebtInvoices.size,
    },
    skippedRows: Object.values(parsed.skipped).reduce((a, b) => a + b, 0),
    skippedByReason: parsed.skipped,
    standaloneRefunds: refunds.standalone,
  };
}
