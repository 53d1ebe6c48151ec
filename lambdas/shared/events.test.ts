import assert from "node:assert/strict";
import { loadEventSchema, parseEvent, transformEventSchema, validateEventSchema } from "./events";

const GOOD = { bucket: "batch-ingest-data", key: "incoming/orders.csv", jobId: "job_2024-05-01" };

describe("event schemas", () => {
  it("accepts the events the state machine builds and drops fields it does not know", () => {
    assert.deepEqual(parseEvent("validate", validateEventSchema, { ...GOOD, extra: 1 }), GOOD);
    assert.deepEqual(parseEvent("transform", transformEventSchema, { ...GOOD, format: "jsonl" }), { ...GOOD, format: "jsonl" });
    const load = { bucket: GOOD.bucket, jobId: GOOD.jobId, processedKey: "processed/x.jsonl", expected: 0 };
    assert.deepEqual(parseEvent("load", loadEventSchema, load), load);
  });

  const BAD: Array<[string, unknown, string]> = [
    ["null", null, "validate event must be a JSON object; got null"],
    ["an array", [GOOD], "validate event must be a JSON object"],
    ["a missing jobId", { bucket: GOOD.bucket, key: GOOD.key }, "jobId is missing"],
    ["a jobId too long", { ...GOOD, jobId: "j".repeat(129) }, "jobId must be 1–128 characters"],
    ["a jobId with spaces", { ...GOOD, jobId: "a b" }, 'jobId must be 1–128 characters of A–Z, a–z, 0–9, _ or -; got "a b"'],
    ["a bucket in upper case", { ...GOOD, bucket: "MyBucket" }, 'bucket must be an S3 bucket name: 3–63 characters of a–z, 0–9, . or -; got "MyBucket"'],
    ["a numeric key", { ...GOOD, key: 5 }, "key "],
    ["a key outside incoming/", { ...GOOD, key: "orders.csv" }, 'key must be under "incoming/"'],
    ["the bare incoming/ prefix", { ...GOOD, key: "incoming/" }, 'key must be under "incoming/"'],
  ];
  for (const [name, event, message] of BAD) {
    it(`fails ${name} with InvalidEvent naming the field`, () => {
      assert.throws(
        () => parseEvent("validate", validateEventSchema, event),
        (err: Error) => err.name === "InvalidEvent" && err.message.includes(message),
      );
    });
  }

  it("names every bad field at once, with its path", () => {
    assert.throws(
      () => parseEvent("load", loadEventSchema, { bucket: GOOD.bucket, jobId: "j", processedKey: "", expected: 1.5 }),
      (err: Error) => /processedKey must be a non-empty S3 key; got ""; expected must be a whole number; got 1\.5/.test(err.message),
    );
  });
});
