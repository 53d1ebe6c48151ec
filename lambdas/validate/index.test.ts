import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { ValidateResult } from "../shared/contracts";
import { startHandlerEnv, type HandlerTestEnv } from "../testing/handler-env";

type ValidateModule = typeof import("./index");

const SAMPLES = join(__dirname, "..", "..", "local", "samples");
const HEADER = "orderId,customerId,amount,currency,createdAt";
const ROW = "A1,C1,1.00,EUR,2024-05-01T10:00:00Z";

describe("validate handler (on the emulators)", function () {
  let env: HandlerTestEnv;
  let validate: ValidateModule;

  before(async () => {
    env = await startHandlerEnv();
    validate = env.load<ValidateModule>("validate");
  });
  after(() => env?.stop());

  async function check(key: string, body: string | Buffer, maxFileBytes = 1024 * 1024): Promise<ValidateResult> {
    await env.put(key, body);
    return validate.validateInput({ bucket: env.bucket, key, jobId: "job-1" }, { maxFileBytes });
  }

  it("accepts the CSV sample and returns what the workflow needs next", async () => {
    const body = readFileSync(join(SAMPLES, "orders.csv"));
    const result = await check("incoming/2024/orders.csv", body);
    assert.equal(result.format, "csv");
    assert.equal(result.sizeBytes, body.length);
    assert.match(result.etag, /^[0-9a-f]{32}$/);
    assert.deepEqual(result.columns, ["orderId", "customerId", "amount", "currency", "createdAt", "note"]);
    assert.equal(result.archiveKey, "archive/2024/orders.csv");
    assert.equal(result.copySource, `${env.bucket}/incoming/2024/orders.csv`);
    assert.equal(typeof result.durationMs, "number");
  });

  it("accepts the JSON Lines sample, taking the first record's keys as its columns", async () => {
    const result = await check("incoming/orders.jsonl", readFileSync(join(SAMPLES, "orders.jsonl")));
    assert.deepEqual([result.format, result.columns], ["jsonl", ["orderId", "customerId", "amount", "currency", "createdAt"]]);
  });

  const jsonLine = JSON.stringify({ orderId: "A", customerId: "C", amount: "1", currency: "EUR", createdAt: "2024-05-01T10:00:00Z" });
  const formats: Array<[string, string, string]> = [
    ["incoming/a.CSV", `${HEADER}\n${ROW}\n`, "csv"],
    ["incoming/a.ndjson", `${jsonLine}\n`, "jsonl"],
    ["incoming/a.JSONL", `${jsonLine}\n`, "jsonl"],
    ["incoming/no-extension", `\uFEFF${HEADER}\r\n${ROW}\r\n`, "csv"],
    ["incoming/a.txt", `\n  ${jsonLine}\n`, "jsonl"],
  ];
  for (const [key, body, format] of formats) {
    it(`decides that ${key} is ${format}`, async () => {
      assert.equal((await check(key, body)).format, format);
    });
  }

  it("URL-encodes each key segment in copySource and strips incoming/ for archiveKey", async () => {
    const result = await check("incoming/2024 05/orders #1+ü?.csv", `${HEADER}\n`);
    assert.equal(result.copySource, `${env.bucket}/incoming/2024%2005/orders%20%231%2B%C3%BC%3F.csv`);
    assert.equal(result.archiveKey, "archive/2024 05/orders #1+ü?.csv");
  });

  it("reads the header of a file far larger than the part it reads", async () => {
    const body = `${HEADER}\n${`${ROW}\n`.repeat(5000)}`;
    assert.ok(body.length > 64 * 1024);
    assert.equal((await check("incoming/big.csv", body)).sizeBytes, body.length);
  });

  const failures: Array<[string, string, string | Buffer, RegExp, number?]> = [
    ["an empty file", "incoming/empty.csv", "", /is empty \(0 bytes\)/],
    ["a file over MAX_FILE_BYTES", "incoming/big.csv", `${HEADER}\n${ROW}\n`, /is 81 bytes, over the limit of 50 bytes \(MAX_FILE_BYTES\): split it/, 50],
    ["a binary file", "incoming/bin.csv", Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0, 1, 2, 3])]), /binary, not text: byte 45 is NUL/],
    ["a gzip archive", "incoming/orders.csv", gzipSync(`${HEADER}\n${ROW}\n`), /is a gzip archive.*decompress it/],
    ["UTF-16 text", "incoming/u16.csv", Buffer.from(`\uFEFF${HEADER}\n`, "utf16le"), /is UTF-16 text.*save it as UTF-8/],
    ["a header missing columns", "incoming/h.csv", "orderId,customerId,note\nA,C,x\n", /header is missing the required columns amount, currency, createdAt; found: "orderId", "customerId", "note"/],
    ["a header that repeats a required column", "incoming/d.csv", `${HEADER},amount\n`, /names column "amount" more than once/],
    ["only blank lines", "incoming/blank.csv", "\n\r\n  \n", /has no header row: it holds only blank lines/],
    ["a first line over 64 KiB", "incoming/long.csv", `${"x".repeat(70 * 1024)}\n${ROW}\n`, /does not end within the first 65536 bytes/],
    ["a first JSON record missing keys", "incoming/k.jsonl", '{"orderId":"A","amount":"1"}\n', /first record is missing the required keys customerId, currency, createdAt; found: "orderId", "amount"/],
    ["a first JSON line that is not JSON", "incoming/j.jsonl", "{not json\n", /first record \(line 1\) is not valid JSON/],
    ["a format it cannot tell", "incoming/notes.txt", "hello world\n", /cannot tell whether "incoming\/notes.txt" is CSV or JSON Lines/],
  ];
  for (const [name, key, body, message, maxFileBytes] of failures) {
    it(`fails ${name} with InvalidInputFile saying what to fix`, async () => {
      await assert.rejects(check(key, body, maxFileBytes), (err: Error) => {
        assert.equal(err.name, "InvalidInputFile");
        assert.match(err.message, message);
        assert.ok(err.message.startsWith(`s3://${env.bucket}/${key}`), err.message);
        return true;
      });
    });
  }

  it("fails a missing object with InputNotFound", async () => {
    await assert.rejects(validate.validateInput({ bucket: env.bucket, key: "incoming/missing.csv", jobId: "j" }, { maxFileBytes: 100 }), (err: Error) => {
      assert.equal(err.name, "InputNotFound");
      assert.match(err.message, /incoming\/missing\.csv: the object does not exist/);
      return true;
    });
  });

  it("handler reads MAX_FILE_BYTES from the environment", async () => {
    await env.put("incoming/env.csv", `${HEADER}\n${ROW}\n`);
    process.env.MAX_FILE_BYTES = "10";
    try {
      await assert.rejects(validate.handler({ bucket: env.bucket, key: "incoming/env.csv", jobId: "j" }), /over the limit of 10 bytes/);
    } finally {
      delete process.env.MAX_FILE_BYTES;
    }
  });

  const badEvents: Array<[string, unknown, RegExp]> = [
    ["a key outside incoming/", { bucket: "batch-ingest-local", key: "processed/x.csv", jobId: "j" }, /key must be under "incoming\/"/],
    ["a jobId with a slash", { bucket: "batch-ingest-local", key: "incoming/x.csv", jobId: "a/b" }, /jobId must be 1–128 characters/],
    ["no bucket", { key: "incoming/x.csv", jobId: "j" }, /bucket is missing/],
    ["a string instead of an object", "incoming/x.csv", /validate event must be a JSON object/],
  ];
  for (const [name, event, message] of badEvents) {
    it(`handler fails an event with ${name} with InvalidEvent`, async () => {
      await assert.rejects(validate.handler(event), (err: Error) => err.name === "InvalidEvent" && message.test(err.message));
    });
  }
});
