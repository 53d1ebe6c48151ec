import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TransformEvent, TransformResult } from "../shared/contracts";
import { startHandlerEnv, type HandlerTestEnv } from "../testing/handler-env";

type TransformModule = typeof import("./index");

const SAMPLES = join(__dirname, "..", "..", "local", "samples");
const HEADER = "orderId,customerId,amount,currency,createdAt";
const row = (id: string, amount = "10.00") => `${id},CUST-1,${amount},EUR,2024-05-01T10:00:00Z`;

interface Rejected {
  line: number;
  reasons: Array<{ code: string; field?: string; message: string }>;
  raw: string;
  rawTruncated: boolean;
}

describe("transform handler (on the emulators)", function () {
  let env: HandlerTestEnv;
  let transform: TransformModule;
  let jobs = 0;

  before(async () => {
    env = await startHandlerEnv();
    transform = env.load<TransformModule>("transform");
  });
  after(() => env?.stop());

  async function run(body: string | Buffer, format: TransformEvent["format"], key = `incoming/t${++jobs}.${format}`): Promise<TransformResult & { jobId: string }> {
    await env.put(key, body);
    const jobId = `job-${jobs}-${format}`;
    const result = await transform.transformObject({ bucket: env.bucket, key, jobId, format });
    return { ...result, jobId };
  }

  const lines = async (key: string) =>
    ((await env.get(key))?.toString("utf8") ?? "")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it("splits the CSV sample into normalised orders and rejected rows with line numbers and reasons", async () => {
    const result = await run(readFileSync(join(SAMPLES, "orders.csv")), "csv");
    assert.deepEqual([result.total, result.valid, result.rejected], [12, 8, 4]);
    assert.deepEqual(result.reasons, { invalid_amount: 1, invalid_currency: 1, duplicate_order_id: 1, invalid_created_at: 1 });
    assert.equal(result.processedKey, `processed/${result.jobId}.jsonl`);
    assert.equal(result.rejectedKey, `rejected/${result.jobId}.jsonl`);
    const processed = await lines(result.processedKey);
    assert.equal(processed.length, 8);
    assert.deepEqual(processed[1], { orderId: "ORD-1002", customerId: "CUST-002", amount: "99.00", currency: "USD", createdAt: "2024-05-01T09:15:00.000Z" });
    const rejected = (await lines(result.rejectedKey)) as unknown as Rejected[];
    assert.deepEqual(
      rejected.map((r) => [r.line, r.reasons.map((p) => p.code)]),
      [
        [5, ["invalid_amount"]],
        [6, ["invalid_currency"]],
        [8, ["duplicate_order_id"]],
        [9, ["invalid_created_at"]],
      ],
    );
    assert.equal(rejected[2].raw, "ORD-1002,CUST-006,20.00,USD,2024-05-03T13:00:00Z,duplicate orderId");
    assert.match(rejected[2].reasons[0].message, /already appeared on line 3/);
  });

  it("splits the JSON Lines sample, rejecting the broken line as malformed_json", async () => {
    const result = await run(readFileSync(join(SAMPLES, "orders.jsonl")), "jsonl");
    assert.deepEqual([result.total, result.valid, result.rejected], [12, 7, 5]);
    const rejected = (await lines(result.rejectedKey)) as unknown as Rejected[];
    assert.deepEqual(
      rejected.map((r) => [r.line, r.reasons[0].code]),
      [
        [4, "invalid_amount"],
        [5, "invalid_currency"],
        [7, "malformed_json"],
        [8, "duplicate_order_id"],
        [9, "invalid_created_at"],
      ],
    );
    const processed = await lines(result.processedKey);
    assert.equal(processed.find((o) => o.orderId === "ORD-2002")?.amount, "99.90");
  });

  it("parses CSV with a BOM, CRLF, blank lines, quoted commas, quotes and newlines, and ignores extra columns", async () => {
    const csv = [
      "\uFEFFnote,createdAt,currency,amount,customerId,orderId",
      '"a, b",2024-05-01T10:00:00Z,EUR,1,C1,O1',
      "",
      '"say ""hi""",2024-05-01T10:00:00Z,EUR,2,C1,O2',
      '"two',
      'lines",2024-05-01T10:00:00Z,EUR,3,C1,O3',
      "   ",
      "x,2024-05-01T10:00:00Z,EUR,bad,C1,O4",
    ].join("\r\n");
    const result = await run(csv, "csv");
    assert.deepEqual([result.total, result.valid, result.rejected], [4, 3, 1]);
    assert.deepEqual((await lines(result.processedKey)).map((o) => [o.orderId, o.amount, Object.keys(o).length]), [
      ["O1", "1.00", 5],
      ["O2", "2.00", 5],
      ["O3", "3.00", 5],
    ]);
    assert.equal(((await lines(result.rejectedKey)) as unknown as Rejected[])[0].line, 8);
  });

  const huge = "9".repeat(10 * 1024 * 1024);
  const oversizedCases: Array<[TransformEvent["format"], string]> = [
    ["csv", [HEADER, row("A1"), row("BIG", huge), row("A2")].join("\n")],
    [
      "jsonl",
      [
        JSON.stringify({ orderId: "A1", customerId: "C", amount: "1", currency: "EUR", createdAt: "2024-05-01T10:00:00Z" }),
        JSON.stringify({ orderId: "BIG", customerId: "C", amount: huge, currency: "EUR", createdAt: "2024-05-01T10:00:00Z" }),
        JSON.stringify({ orderId: "A2", customerId: "C", amount: "1", currency: "EUR", createdAt: "2024-05-01T10:00:00Z" }),
      ].join("\n"),
    ],
  ];
  for (const [format, body] of oversizedCases) {
    it(`rejects a 10 MB ${format} line as row_too_large, keeps a bounded preview and reads on`, async () => {
      const result = await run(body, format);
      assert.deepEqual([result.total, result.valid, result.rejected], [3, 2, 1]);
      const [rejected] = (await lines(result.rejectedKey)) as unknown as Rejected[];
      assert.equal(rejected.reasons[0].code, "row_too_large");
      assert.equal(rejected.line, format === "csv" ? 3 : 2);
      assert.equal(rejected.rawTruncated, true);
      assert.ok(rejected.raw.length <= 2048, `raw preview is ${rejected.raw.length} characters`);
    });
  }

  it("rejects rows with invalid UTF-8 as invalid_utf8 and keeps the rest", async () => {
    const body = Buffer.concat([Buffer.from(`${HEADER}\n${row("OK1")}\nBAD`), Buffer.from([0xc3, 0x28]), Buffer.from(`,C,1,EUR,2024-05-01T10:00:00Z\n${row("OK2")}\n`)]);
    const result = await run(body, "csv");
    assert.deepEqual([result.total, result.valid, result.rejected, result.reasons], [3, 2, 1, { invalid_utf8: 1 }]);
    const [rejected] = (await lines(result.rejectedKey)) as unknown as Rejected[];
    assert.equal(rejected.line, 3);
    assert.match(rejected.raw, /^BAD\uFFFD\(,C/);
  });

  it("rejects CSV rows with the wrong number of fields or stray quotes", async () => {
    const result = await run([HEADER, row("A1"), "A2,C,1,EUR", 'A3,C"x",1,EUR,2024-05-01T10:00:00Z', '"A4"x,C,1,EUR,2024-05-01T10:00:00Z'].join("\n"), "csv");
    assert.deepEqual(result.reasons, { wrong_column_count: 1, malformed_csv: 2 });
    assert.equal(result.total, 4);
  });

  it("counts a row with two bad fields under both reasons but once in rejected", async () => {
    const result = await run([HEADER, "A1,C,abc,XYZ,2024-05-01T10:00:00Z"].join("\n"), "csv");
    assert.deepEqual([result.rejected, result.reasons], [1, { invalid_amount: 1, invalid_currency: 1 }]);
  });

  it("writes both outputs even when a file has no data rows", async () => {
    const result = await run(`${HEADER}\n`, "csv");
    assert.deepEqual([result.total, result.valid, result.rejected], [0, 0, 0]);
    assert.deepEqual([await env.get(result.processedKey), await env.get(result.rejectedKey)], [Buffer.alloc(0), Buffer.alloc(0)]);
  });

  it("streams an output larger than one 5 MiB upload part", async () => {
    const count = 70_000;
    const body = [HEADER, ...Array.from({ length: count }, (_, i) => row(`ORDER-${String(i).padStart(8, "0")}`, `${i}.5`))].join("\n");
    const result = await run(body, "csv");
    assert.deepEqual([result.total, result.valid], [count, count]);
    const processed = (await env.get(result.processedKey)) ?? Buffer.alloc(0);
    assert.ok(processed.length > 5 * 1024 * 1024, `processed is ${processed.length} bytes`);
    const text = processed.toString("utf8");
    assert.equal(text.split("\n").length - 1, count);
    assert.ok(text.endsWith(`"orderId":"ORDER-000${count - 1}","customerId":"CUST-1","amount":"${count - 1}.50","currency":"EUR","createdAt":"2024-05-01T10:00:00.000Z"}\n`));
  });

  const fileFailures: Array<[string, string, TransformEvent["format"], RegExp]> = [
    ["an unterminated quote, naming the line where it opened", [HEADER, row("A1"), 'A2,"C,1,EUR,2024-05-01T10:00:00Z', row("A3")].join("\n"), "csv", /line 3: a quoted field opens here and is never closed/],
    ["a header without the required columns", "orderId,amount\nA1,1\n", "csv", /missing the required columns customerId, currency, createdAt; found: "orderId", "amount"/],
    ["a file with no header", "\n\n", "csv", /no header row/],
  ];
  for (const [name, body, format, message] of fileFailures) {
    it(`fails the whole file with InvalidInputFile on ${name}, and writes no output`, async () => {
      const jobId = `job-${++jobs}-fail`;
      const key = `incoming/fail-${jobs}.csv`;
      await env.put(key, body);
      await assert.rejects(transform.transformObject({ bucket: env.bucket, key, jobId, format }), (err: Error) => {
        assert.equal(err.name, "InvalidInputFile");
        assert.match(err.message, message);
        assert.ok(err.message.startsWith(`s3://${env.bucket}/${key}: `), err.message);
        return true;
      });
      assert.equal(await env.get(`processed/${jobId}.jsonl`), undefined);
      assert.equal(await env.get(`rejected/${jobId}.jsonl`), undefined);
    });
  }

  it("fails with InputNotFound when the object is gone", async () => {
    await assert.rejects(transform.transformObject({ bucket: env.bucket, key: "incoming/nope.csv", jobId: "j", format: "csv" }), { name: "InputNotFound" });
  });

  it("handler rejects a malformed event with InvalidEvent naming the field", async () => {
    await assert.rejects(transform.handler({ bucket: env.bucket, key: "incoming/x.csv", jobId: "j", format: "xml" }), (err: Error) => {
      assert.equal(err.name, "InvalidEvent");
      assert.match(err.message, /format must be "csv" or "jsonl"; got "xml"/);
      return true;
    });
  });

  it("handler returns the same result as the logic function", async () => {
    await env.put("incoming/h.csv", `${HEADER}\n${row("H1")}\n`);
    const result = await transform.handler({ bucket: env.bucket, key: "incoming/h.csv", jobId: "handler-job", format: "csv" });
    assert.deepEqual([result.total, result.valid, result.processedKey], [1, 1, "processed/handler-job.jsonl"]);
  });
});
