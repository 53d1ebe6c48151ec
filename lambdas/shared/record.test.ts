import assert from "node:assert/strict";
import { checkOrder, normaliseAmount, normaliseCreatedAt, type OrderField } from "./record";
import type { ReasonCode } from "./reasons";

const GOOD_ROW = {
  orderId: "ORD-0001",
  customerId: "cust_42",
  amount: "12.50",
  currency: "EUR",
  createdAt: "2024-05-01T10:00:00Z",
} as const;

interface FieldCase {
  readonly field: OrderField;
  readonly value: unknown;
  /** The normalised value, or the reason code the row is rejected with. */
  readonly expect: { readonly normalised: string } | { readonly reason: ReasonCode };
}

const CASES: readonly FieldCase[] = [
  { field: "orderId", value: "A", expect: { normalised: "A" } },
  { field: "orderId", value: "a".repeat(64), expect: { normalised: "a".repeat(64) } },
  { field: "orderId", value: "Ord_1-x", expect: { normalised: "Ord_1-x" } },
  { field: "orderId", value: "a".repeat(65), expect: { reason: "invalid_order_id" } },
  { field: "orderId", value: "ORD 1", expect: { reason: "invalid_order_id" } },
  { field: "orderId", value: "ORD#1", expect: { reason: "invalid_order_id" } },
  { field: "orderId", value: "ordré", expect: { reason: "invalid_order_id" } },
  { field: "orderId", value: 123, expect: { reason: "invalid_order_id" } },
  { field: "orderId", value: "", expect: { reason: "missing_field" } },
  { field: "orderId", value: undefined, expect: { reason: "missing_field" } },
  { field: "customerId", value: "C-9", expect: { normalised: "C-9" } },
  { field: "customerId", value: "c.9", expect: { reason: "invalid_customer_id" } },
  { field: "customerId", value: " C-9", expect: { reason: "invalid_customer_id" } },
  { field: "customerId", value: null, expect: { reason: "missing_field" } },
  { field: "amount", value: "0", expect: { normalised: "0.00" } },
  { field: "amount", value: "12.5", expect: { normalised: "12.50" } },
  { field: "amount", value: "12.50", expect: { normalised: "12.50" } },
  { field: "amount", value: "007.1", expect: { normalised: "7.10" } },
  { field: "amount", value: "999999999999999.99", expect: { normalised: "999999999999999.99" } },
  { field: "amount", value: 12.5, expect: { normalised: "12.50" } },
  { field: "amount", value: 3, expect: { normalised: "3.00" } },
  { field: "amount", value: "1000000000000000", expect: { reason: "invalid_amount" } },
  { field: "amount", value: "12.345", expect: { reason: "invalid_amount" } },
  { field: "amount", value: 12.345, expect: { reason: "invalid_amount" } },
  { field: "amount", value: "-1.00", expect: { reason: "invalid_amount" } },
  { field: "amount", value: -1, expect: { reason: "invalid_amount" } },
  { field: "amount", value: "+1", expect: { reason: "invalid_amount" } },
  { field: "amount", value: "1,50", expect: { reason: "invalid_amount" } },
  { field: "amount", value: "12.", expect: { reason: "invalid_amount" } },
  { field: "amount", value: ".5", expect: { reason: "invalid_amount" } },
  { field: "amount", value: "1e3", expect: { reason: "invalid_amount" } },
  { field: "amount", value: 1e21, expect: { reason: "invalid_amount" } },
  { field: "amount", value: " 12", expect: { reason: "invalid_amount" } },
  { field: "amount", value: "abc", expect: { reason: "invalid_amount" } },
  { field: "amount", value: true, expect: { reason: "invalid_amount" } },
  { field: "amount", value: "", expect: { reason: "missing_field" } },
  { field: "currency", value: "USD", expect: { normalised: "USD" } },
  { field: "currency", value: "JPY", expect: { normalised: "JPY" } },
  { field: "currency", value: "usd", expect: { reason: "invalid_currency" } },
  { field: "currency", value: "EURO", expect: { reason: "invalid_currency" } },
  { field: "currency", value: "ABC", expect: { reason: "invalid_currency" } },
  { field: "currency", value: "HRK", expect: { reason: "invalid_currency" } },
  { field: "currency", value: 978, expect: { reason: "invalid_currency" } },
  { field: "createdAt", value: "2024-05-01T10:00:00Z", expect: { normalised: "2024-05-01T10:00:00.000Z" } },
  { field: "createdAt", value: "2024-05-01T12:00:00+02:00", expect: { normalised: "2024-05-01T10:00:00.000Z" } },
  { field: "createdAt", value: "2024-05-01T00:30:00-01:30", expect: { normalised: "2024-05-01T02:00:00.000Z" } },
  { field: "createdAt", value: "2024-12-31T23:00:00-02:00", expect: { normalised: "2025-01-01T01:00:00.000Z" } },
  { field: "createdAt", value: "2024-05-01T10:00Z", expect: { normalised: "2024-05-01T10:00:00.000Z" } },
  { field: "createdAt", value: "2024-05-01T10:00:00.123456Z", expect: { normalised: "2024-05-01T10:00:00.123Z" } },
  { field: "createdAt", value: "2024-02-29T10:00:00Z", expect: { normalised: "2024-02-29T10:00:00.000Z" } },
  { field: "createdAt", value: "2000-02-29T00:00:00Z", expect: { normalised: "2000-02-29T00:00:00.000Z" } },
  { field: "createdAt", value: "0050-01-01T00:00:00Z", expect: { normalised: "0050-01-01T00:00:00.000Z" } },
  { field: "createdAt", value: "2023-02-29T10:00:00Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "1900-02-29T10:00:00Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-04-31T10:00:00Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-13-01T10:00:00Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01T24:00:00Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01T10:60:00Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01T10:00:60Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01T10:00:00", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01 10:00:00Z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01T10:00:00+0200", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01T10:00:00+24:00", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "2024-05-01T10:00:00z", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "9999-12-31T23:00:00-02:00", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: "yesterday", expect: { reason: "invalid_created_at" } },
  { field: "createdAt", value: 1714557600000, expect: { reason: "invalid_created_at" } },
];

describe("order record schema", () => {
  for (const c of CASES) {
    const verdict = "normalised" in c.expect ? `accepts and normalises to ${c.expect.normalised}` : `rejects with ${c.expect.reason}`;
    it(`${c.field} ${JSON.stringify(c.value) ?? "undefined"}: ${verdict}`, () => {
      const result = checkOrder({ ...GOOD_ROW, [c.field]: c.value });
      if ("normalised" in c.expect) {
        assert.ok(result.ok, `expected the row to pass, got ${JSON.stringify(result)}`);
        assert.equal(result.order[c.field], c.expect.normalised);
      } else {
        assert.ok(!result.ok, "expected the row to be rejected");
        assert.deepEqual(
          result.problems.map((p) => [p.code, p.field]),
          [[c.expect.reason, c.field]],
        );
        assert.match(result.problems[0].message, new RegExp(`^${c.field} `));
      }
    });
  }

  it("drops columns that are not order fields", () => {
    const result = checkOrder({ ...GOOD_ROW, note: "gift", region: "EU" });
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.order).sort(), ["amount", "createdAt", "currency", "customerId", "orderId"]);
  });

  it("lists every bad field of a row, one problem each", () => {
    const result = checkOrder({ orderId: "bad id", amount: "x", currency: "eur", createdAt: "2024-05-01T10:00:00Z" });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((p) => p.code).sort(), ["invalid_amount", "invalid_currency", "invalid_order_id", "missing_field"]);
  });

  it("says what a bad value was and what a good one looks like", () => {
    const result = checkOrder({ ...GOOD_ROW, amount: "12.345" });
    assert.ok(!result.ok);
    assert.equal(
      result.problems[0].message,
      'amount must be a non-negative decimal with at most 2 fractional digits and at most 15 integer digits, like 12.50; got "12.345"',
    );
  });

  it("normalises idempotently, so load can re-check processed rows with the same schema", () => {
    const first = checkOrder({ ...GOOD_ROW, amount: "3.5", createdAt: "2024-05-01T12:00:00+02:00" });
    assert.ok(first.ok);
    const second = checkOrder(first.order);
    assert.ok(second.ok);
    assert.deepEqual(second.order, first.order);
  });
});

describe("normaliseAmount and normaliseCreatedAt", () => {
  const amounts: Array<[string, string | undefined]> = [
    ["0.5", "0.50"],
    ["000", "0.00"],
    ["10", "10.00"],
    ["1.234", undefined],
  ];
  for (const [input, output] of amounts) {
    it(`normaliseAmount(${JSON.stringify(input)}) is ${JSON.stringify(output)}`, () => assert.equal(normaliseAmount(input), output));
  }
  it("normaliseCreatedAt keeps the instant when it converts an offset to UTC", () => {
    const text = "2024-03-10T01:59:59.999-05:00";
    assert.equal(Date.parse(normaliseCreatedAt(text) ?? ""), Date.parse(text));
  });
});
