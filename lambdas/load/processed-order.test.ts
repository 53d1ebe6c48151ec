import assert from "node:assert/strict";
import type { RawRecord } from "../shared/raw-record";
import { orderItem, processedOrder } from "./index";

const raw = (line: number, text: string): RawRecord => ({ line, bytes: Buffer.from(text), size: Buffer.byteLength(text), oversized: false });

const good = { orderId: "O-1", customerId: "C-1", amount: "12.50", currency: "EUR", createdAt: "2024-05-01T10:00:00.000Z" };

describe("load's check of a processed row", () => {
  it("accepts a row with exactly the five order fields as non-empty strings", () => {
    assert.deepEqual(processedOrder({ ...good }), good);
  });

  const bad: Array<[string, unknown]> = [
    ["null", null],
    ["an array", [good]],
    ["a string", JSON.stringify(good)],
    ["a missing field", { orderId: "O-1", customerId: "C-1", amount: "12.50", currency: "EUR" }],
    ["an extra field", { ...good, note: "x" }],
    ["an empty value", { ...good, currency: "" }],
    ["a number where transform writes a string", { ...good, amount: 12.5 }],
    ["null for a field", { ...good, createdAt: null }],
  ];
  for (const [what, value] of bad) {
    it(`refuses ${what}`, () => {
      assert.equal(processedOrder(value), undefined);
    });
  }

  it("builds the item under the deterministic key with every attribute a string", () => {
    assert.deepEqual(orderItem("job-1", raw(3, JSON.stringify(good)), "s3://b/processed/job-1.jsonl"), {
      PK: { S: "JOB#job-1" },
      SK: { S: "ORDER#O-1" },
      entity: { S: "order" },
      jobId: { S: "job-1" },
      orderId: { S: "O-1" },
      customerId: { S: "C-1" },
      amount: { S: "12.50" },
      currency: { S: "EUR" },
      createdAt: { S: "2024-05-01T10:00:00.000Z" },
    });
  });

  it("names the file and line of a row that is not a processed order", () => {
    assert.throws(() => orderItem("job-1", raw(7, '{"orderId":"x"}'), "s3://b/processed/job-1.jsonl"), {
      name: "InvalidInputFile",
      message: /s3:\/\/b\/processed\/job-1\.jsonl line 7 is not a normalised order/,
    });
  });
});
