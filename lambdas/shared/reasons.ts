/**
 * Stable reason codes for rejected rows. They appear in `rejected/<jobId>.jsonl`, in the
 * `reasons` histogram of the transform result and in the report, so never rename one: add a new
 * code instead. `lambdas/README.md` documents each; a test keeps that table complete.
 */
export const REASON_CODES = {
  missing_field: "A required field is absent, empty or null.",
  invalid_order_id: "orderId is not 1–64 characters of A–Z, a–z, 0–9, `_` or `-`.",
  invalid_customer_id: "customerId is not 1–64 characters of A–Z, a–z, 0–9, `_` or `-`.",
  invalid_amount: "amount is not a non-negative decimal with at most 2 fractional digits (and at most 15 integer digits).",
  invalid_currency: "currency is not an active ISO 4217 code in upper case.",
  invalid_created_at: "createdAt is not an ISO-8601 date-time with a zone (`Z` or `±hh:mm`), or names a date that does not exist.",
  duplicate_order_id: "An earlier row of the same file has the same orderId; the first one wins.",
  wrong_column_count: "A CSV row has a different number of fields than the header.",
  malformed_csv: "A CSV row has a stray quote: a quote inside an unquoted field, or text after a closing quote.",
  malformed_json: "A JSON Lines line is not valid JSON, or is valid JSON but not an object.",
  invalid_utf8: "The row contains bytes that are not valid UTF-8.",
  row_too_large: "The row is longer than the row size limit (64 KiB); the parser skips it without buffering it.",
} as const;

export type ReasonCode = keyof typeof REASON_CODES;

/** One reason a row was rejected: the stable code, the field when there is one, and a message saying how to fix it. */
export interface Problem {
  readonly code: ReasonCode;
  readonly field?: string;
  readonly message: string;
}
