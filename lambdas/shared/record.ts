import { z } from "zod";
import { ISO_4217_CODES } from "./currencies";
import type { Problem, ReasonCode } from "./reasons";

/**
 * The one order-record schema. Transform validates and normalises each input row with it, load
 * re-checks each processed line with it, and `lambdas/README.md` documents the same rules.
 */
export const ORDER_FIELDS = ["orderId", "customerId", "amount", "currency", "createdAt"] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

/** A normalised order: amount as a string with exactly 2 decimals, createdAt in UTC ending in `Z`. */
export type Order = Record<OrderField, string>;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const AMOUNT_PATTERN = /^(\d+)(?:\.(\d{1,2}))?$/;
/** 15 integer digits plus 2 decimals still fit a double and DynamoDB's number type exactly. */
const MAX_AMOUNT_INTEGER_DIGITS = 15;
const DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const MESSAGES: Record<OrderField, string> = {
  orderId: "must be 1–64 characters of A–Z, a–z, 0–9, _ or -",
  customerId: "must be 1–64 characters of A–Z, a–z, 0–9, _ or -",
  amount: `must be a non-negative decimal with at most 2 fractional digits and at most ${MAX_AMOUNT_INTEGER_DIGITS} integer digits, like 12.50`,
  currency: "must be an active ISO 4217 code in upper case, like EUR or USD",
  createdAt: "must be an ISO-8601 date-time with a zone, like 2024-05-01T10:00:00Z or 2024-05-01T12:00:00+02:00",
};

export const FIELD_REASONS: Record<OrderField, ReasonCode> = {
  orderId: "invalid_order_id",
  customerId: "invalid_customer_id",
  amount: "invalid_amount",
  currency: "invalid_currency",
  createdAt: "invalid_created_at",
};

/** `"12.5"` -> `"12.50"`, `"007"` -> `"7.00"`; undefined when the text is not an allowed amount. */
export function normaliseAmount(text: string): string | undefined {
  const match = AMOUNT_PATTERN.exec(text);
  if (!match) return undefined;
  const integer = match[1].replace(/^0+(?=\d)/, "");
  if (integer.length > MAX_AMOUNT_INTEGER_DIGITS) return undefined;
  return `${integer}.${(match[2] ?? "").padEnd(2, "0")}`;
}

function daysInMonth(year: number, month: number): number {
  // The Gregorian leap-year rule repeats every 400 years, and 2000–2399 are safe years for Date.UTC.
  return new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
}

/**
 * `"2024-05-01T12:00:00+02:00"` -> `"2024-05-01T10:00:00.000Z"`: the same instant in UTC with
 * millisecond precision. Undefined when the text has no zone or names a time that does not exist
 * (Feb 30, hour 24, leap second 60), or when the instant falls outside the years 0000–9999.
 */
export function normaliseCreatedAt(text: string): string | undefined {
  const m = DATE_TIME_PATTERN.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  const millis = Number((m[7] ?? "").slice(0, 3).padEnd(3, "0"));
  const offsetMinutes = m[8] === undefined ? 0 : (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || Number(m[9] ?? 0) > 23 || Number(m[10] ?? 0) > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map the years 0–99 onto 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const utc = new Date(date.getTime() - offsetMinutes * 60_000);
  const year4 = utc.getUTCFullYear();
  if (year4 < 0 || year4 > 9999) return undefined;
  return utc.toISOString();
}

const identifier = (field: OrderField) => z.string({ error: MESSAGES[field] }).regex(ID_PATTERN, MESSAGES[field]);

/** Validates and normalises one order; unknown keys (extra columns) are dropped. */
export const orderRecordSchema = z.object({
  orderId: identifier("orderId"),
  customerId: identifier("customerId"),
  // JSON Lines may carry the amount as a number; its shortest decimal text is checked like a CSV string.
  amount: z.union([z.string(), z.number()], { error: MESSAGES.amount }).transform((value, ctx) => {
    const amount = normaliseAmount(typeof value === "number" ? String(value) : value);
    if (amount === undefined) ctx.addIssue({ code: "custom", message: MESSAGES.amount });
    return amount ?? "";
  }),
  currency: z.string({ error: MESSAGES.currency }).refine((value) => ISO_4217_CODES.has(value), MESSAGES.currency),
  createdAt: z.string({ error: MESSAGES.createdAt }).transform((value, ctx) => {
    const createdAt = normaliseCreatedAt(value);
    if (createdAt === undefined) ctx.addIssue({ code: "custom", message: MESSAGES.createdAt });
    return createdAt ?? "";
  }),
}) satisfies z.ZodType<Order, unknown>;

export type OrderCheck = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly problems: readonly Problem[] };

const PREVIEW_CHARS = 80;

/** The value as JSON, cut to a readable length, for messages. */
export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/**
 * Checks one row, given as field name -> value, and returns either the normalised order or every
 * problem found (one per bad field), so a rejected row lists all its faults at once.
 */
export function checkOrder(row: Readonly<Record<string, unknown>>): OrderCheck {
  const problems: Problem[] = [];
  for (const field of ORDER_FIELDS) {
    if (isMissing(row[field])) {
      problems.push({ code: "missing_field", field, message: `${field} is missing or empty: every row needs ${ORDER_FIELDS.join(", ")}` });
    }
  }
  const parsed = orderRecordSchema.safeParse(row);
  if (parsed.success && problems.length === 0) return { ok: true, order: parsed.data };
  const reported = new Set(problems.map((p) => p.field));
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field !== "string" || reported.has(field) || !(ORDER_FIELDS as readonly string[]).includes(field)) continue;
    reported.add(field);
    const orderField = field as OrderField;
    problems.push({ code: FIELD_REASONS[orderField], field, message: `${field} ${issue.message}; got ${preview(row[field])}` });
  }
  return { ok: false, problems };
}
