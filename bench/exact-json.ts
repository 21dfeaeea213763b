// What reading a webhook body exactly costs: JSON.parse (the library's parse)
// against parseExactJson (a reviver keeping integers above 2^53) and the
// route's check that decides whether the exact parse is needed at all, on a
// simulator orders/create payload. Run alone: `npx tsx bench/exact-json.ts [rounds]`.
import { mayHaveLostDigits, parseExactJson } from "../app/utils/exact-json";
import { startSimulator, stringifyExact } from "../simulator";
import { runAlone } from "./run-alone";

export async function benchExactJson(opts: { rounds?: number } = {}) {
  const rounds = opts.rounds ?? 20_000;
  const sim = await startSimulator({ appSecret: "bench" });
  try {
    const domain = "bench-json.myshopify.com";
    sim.createShop(domain, { timezone: "UTC", currency: "GBP" }, { idBase: 10n ** 17n });
    const order = sim.createOrder(domain, {
      customerId: 10n ** 17n + 7_000_000_001n,
      lineItems: [
        { sku: "A", quantity: 2, price: 5 },
        { sku: "B", quantity: 1, price: 7 },
        { sku: "C", quantity: 3, price: 1.5 },
      ],
      shippingLine: { title: "Standard", price: 3 },
    });
    const text = stringifyExact(order);
    // The same order in a shop with today's 10-13 digit ids: the check scans the whole body.
    sim.createShop("bench-json-small.myshopify.com", { timezone: "UTC", currency: "GBP" });
    const small = stringifyExact(
      sim.createOrder("bench-json-small.myshopify.com", {
        customerId: 7_000_000_001,
        lineItems: [
          { sku: "A", quantity: 2, price: 5 },
          { sku: "B", quantity: 1, price: 7 },
          { sku: "C", quantity: 3, price: 1.5 },
        ],
        shippingLine: { title: "Standard", price: 3 },
      }),
    );
    const parsedText = JSON.parse(text);
    const parsedSmall = JSON.parse(small);
    const perCall = (fn: () => unknown) => {
      const start = performance.now();
      for (let i = 0; i < rounds; i++) fn();
      return Math.round(((performance.now() - start) / rounds) * 1000 * 10) / 10;
    };
    perCall(() => parseExactJson(text)); // warm-up
    return {
      payloadBytes: text.length,
      jsonParseUs: perCall(() => JSON.parse(text)),
      parseExactJsonUs: perCall(() => parseExactJson(text)),
      /** The route's check (a walk over the parsed body) on one with ids above 2^53 and on one without (a full walk). */
      checkUs: perCall(() => mayHaveLostDigits(parsedText)),
      checkNoBigIdsUs: perCall(() => mayHaveLostDigits(parsedSmall)),
      smallPayloadMayHaveLostDigits: mayHaveLostDigits(parsedSmall),
    };
  } finally {
    await sim.close();
  }
}

runAlone(import.meta.url, ([rounds]) => benchExactJson({ rounds }));
