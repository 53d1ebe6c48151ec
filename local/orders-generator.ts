import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { ORDER_FIELDS, type Order } from "../lambdas/shared/record";

/**
 * Synthetic order files for the end-to-end tests and the bench: deterministic, so a test can
 * state exact counts, and written as a stream, so the bench's 200,000 rows never sit in memory.
 */
const CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF"];
const EPOCH = Date.UTC(2024, 0, 1);

/** The i-th valid order; the same i always gives the same order. */
export function validOrder(i: number, prefix = "o"): Order {
  return {
    orderId: `${prefix}${i}`,
    customerId: `c${i % 997}`,
    amount: `${i % 10_000}.${String(i % 100).padStart(2, "0")}`,
    currency: CURRENCIES[i % CURRENCIES.length],
    createdAt: new Date(EPOCH + i * 60_000).toISOString(),
  };
}

export const CSV_HEADER = ORDER_FIELDS.join(",");

export function csvLine(order: Readonly<Record<string, string>>): string {
  return ORDER_FIELDS.map((field) => order[field] ?? "").join(",");
}

export function jsonLine(order: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(order);
}

/** A whole CSV text: header, then one line per order, newline-terminated. */
export function ordersCsv(orders: ReadonlyArray<Readonly<Record<string, string>>>): string {
  return [CSV_HEADER, ...orders.map(csvLine)].join("\n") + "\n";
}

export function ordersJsonl(orders: ReadonlyArray<Readonly<Record<string, unknown>>>): string {
  return orders.map(jsonLine).join("\n") + "\n";
}

/** `count` valid orders numbered from 0. */
export function validOrders(count: number, prefix = "o"): Order[] {
  return Array.from({ length: count }, (_, i) => validOrder(i, prefix));
}

/** Streams a CSV of `rows` valid orders to `path`, respecting back-pressure. */
export async function writeOrdersCsv(path: string, rows: number, prefix = "o"): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(`${CSV_HEADER}\n`);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    chunk += `${csvLine(validOrder(i, prefix))}\n`;
    if (chunk.length >= 64 * 1024) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  out.end();
  await once(out, "finish");
}
