import { strict as assert } from "node:assert";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { orderKey } from "../infra/shared/table";
import { ORDER_FIELDS, type Order } from "../lambdas/shared/record";
import { counts, ingest, jobItems, objectExists, orderItems, putInput } from "./e2e-support";
import { startEmulators, type Emulators } from "./emulators";
import type { Fault } from "./faults";
import { finalRecord } from "./format";
import { realBundles } from "./real-bundles";
import { CSV_HEADER, ordersCsv, ordersJsonl, validOrders } from "./orders-generator";

/** The order fields of an item, to compare with the order it came from. */
function orderOf(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(ORDER_FIELDS.map((field) => [field, item[field]]));
}

describe("end to end through the local runtime (real bundles)", function () {
  this.timeout(60_000);
  let emu: Emulators;

  before(async function () {
    this.timeout(120_000);
    await realBundles();
    emu = await startEmulators({ bucket: "e2e", tableName: "e2e-state" });
  });
  after(async () => {
    await emu?.stop();
  });

  async function assertLoaded(jobId: string, orders: readonly Order[]): Promise<void> {
    const items = await orderItems(emu, jobId);
    assert.equal(items.length, orders.length, "one item per loaded order, no duplicates");
    const byId = new Map(items.map((item) => [item.orderId, item]));
    for (const order of orders) {
      const item = byId.get(order.orderId);
      assert.ok(item, `order ${order.orderId} is in the table`);
      assert.deepEqual([item.PK, item.SK], [orderKey(jobId, order.orderId).PK, orderKey(jobId, order.orderId).SK]);
      assert.deepEqual(orderOf(item), order);
    }
  }

  const goodFiles: Array<[string, (orders: Order[]) => string]> = [
    ["orders.csv", ordersCsv],
    ["orders.jsonl", ordersJsonl],
  ];
  for (const [name, render] of goodFiles) {
    it(`loads every row of a good ${name.split(".")[1]} file, archives it and records SUCCEEDED`, async () => {
      const orders = validOrders(40);
      const { jobId, key, result } = await ingest(emu, name, render(orders));
      assert.deepEqual(counts(result), { status: "SUCCEEDED", total: 40, loaded: 40, rejected: 0 });
      assert.equal(result.jobRecord?.status, "SUCCEEDED");
      await assertLoaded(jobId, orders);
      assert.deepEqual([await objectExists(emu, key), await objectExists(emu, key.replace(/^incoming\//, "archive/"))], [false, true]);
    });
  }

  it("counts a file with bad rows exactly: every row loaded or rejected, with its reason", async () => {
    const good = validOrders(10);
    const bad = [
      "b1,c1,12.345,EUR,2024-01-01T00:00:00Z",
      "b2,c1,1.00,eur,2024-01-01T00:00:00Z",
      "b3,,1.00,EUR,2024-01-01T00:00:00Z",
      "o3,c1,1.00,EUR,2024-01-01T00:00:00Z",
      "b5,c1,1.00,EUR",
      "b6,c1,1.00,EUR,2024-02-30T00:00:00Z",
    ];
    const text = ordersCsv(good) + "\n" + bad.join("\n") + "\n";
    const { jobId, result } = await ingest(emu, "bad-rows.csv", text);
    assert.deepEqual(counts(result), { status: "SUCCEEDED", total: 16, loaded: 10, rejected: 6 });
    assert.deepEqual((result.output as { reasons: unknown }).reasons, {
      invalid_amount: 1,
      invalid_currency: 1,
      missing_field: 1,
      duplicate_order_id: 1,
      wrong_column_count: 1,
      invalid_created_at: 1,
    });
    await assertLoaded(jobId, good);
    const rejected = await emu.s3.send(new GetObjectCommand({ Bucket: emu.bucket, Key: `rejected/${jobId}.jsonl` }));
    assert.equal((await rejected.Body?.transformToString())?.trim().split("\n").length, 6);
  });

  it("fails a file that fails validation, records FAILED with the cause and leaves the input in place", async () => {
    const text = "orderId,customerId,currency,createdAt\no1,c1,EUR,2024-01-01T00:00:00Z\n";
    const { jobId, key, result } = await ingest(emu, "no-amount.csv", text);
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "InvalidInputFile");
    const cause = JSON.parse(result.cause ?? "{}") as { errorType?: string; errorMessage?: string };
    assert.equal(cause.errorType, "InvalidInputFile");
    assert.match(cause.errorMessage ?? "", /missing the required column amount/);
    assert.deepEqual([result.jobRecord?.status, result.jobRecord?.error, result.jobRecord?.cause], ["FAILED", "InvalidInputFile", result.cause]);
    assert.deepEqual(await orderItems(emu, jobId), []);
    assert.equal(await objectExists(emu, key), true);
  });

  it("recovers from transient faults in S3, DynamoDB and the handlers through Retry, with exact counts", async () => {
    const faults: Fault[] = [
      { state: "RecordJobStarted", error: "DynamoDB.ProvisionedThroughputExceededException", times: 2 },
      { state: "Transform", error: "TransientDependencyError", times: 1 },
      // After the call: the handler's writes happened, the response was lost, and the retry must not duplicate them.
      { state: "Load", error: "TransientDependencyError", times: 1, when: "after" },
      { state: "ArchiveInput", error: "S3.SlowDownException", times: 2 },
      { state: "RecordJobSucceeded", error: "DynamoDB.ThrottlingException", times: 1 },
    ];
    const orders = validOrders(30);
    const { jobId, result } = await ingest(emu, "transient.csv", ordersCsv(orders) + "bad,row\n", { faults });
    assert.deepEqual(counts(result), { status: "SUCCEEDED", total: 31, loaded: 30, rejected: 1 });
    const attempts = Object.fromEntries(result.states.map((s) => [s.name, s.attempts]));
    assert.deepEqual(attempts, { RecordJobStarted: 3, Validate: 1, Transform: 2, Load: 2, Report: 1, ArchiveInput: 3, RemoveInput: 1, RecordJobSucceeded: 2 });
    await assertLoaded(jobId, orders);
  });

  const persistent: Array<{ fault: Fault; attempts: number; inputLeft: boolean }> = [
    { fault: { state: "Load", error: "TransientDependencyError", times: Infinity }, attempts: 5, inputLeft: true },
    { fault: { state: "ArchiveInput", error: "S3.InternalErrorException", times: Infinity }, attempts: 6, inputLeft: true },
    { fault: { state: "RecordJobSucceeded", error: "DynamoDB.InternalServerError", times: Infinity }, attempts: 6, inputLeft: false },
  ];
  for (const { fault, attempts, inputLeft } of persistent) {
    it(`fails on a persistent ${fault.error} in ${fault.state} after ${attempts} attempts and never reports success`, async () => {
      const { jobId, key, result } = await ingest(emu, "persistent.csv", ordersCsv(validOrders(5)), { faults: [fault] });
      assert.equal(result.status, "FAILED");
      assert.equal(result.error, fault.error);
      assert.equal(result.states.find((s) => s.name === fault.state)?.attempts, attempts);
      assert.equal(result.jobRecord?.status, "FAILED");
      assert.equal(result.jobRecord?.error, fault.error);
      assert.equal(finalRecord(result, jobId).status, "FAILED");
      assert.equal(await objectExists(emu, key), inputLeft);
    });
  }

  it("re-runs the same job to identical table contents, apart from the job record's timestamps", async () => {
    const text = ordersCsv(validOrders(25)) + "o1,c1,1.00,EUR,2024-01-01T00:00:00Z\nx,y\n";
    const first = await ingest(emu, "rerun.csv", text, { jobId: "rerun-job" });
    const before = await jobItems(emu, "rerun-job");
    await putInput(emu, first.key, text);
    const second = await ingest(emu, "rerun.csv", text, { jobId: "rerun-job" });
    const after = await jobItems(emu, "rerun-job");
    assert.deepEqual([counts(first.result), counts(second.result)], [
      { status: "SUCCEEDED", total: 27, loaded: 25, rejected: 2 },
      { status: "SUCCEEDED", total: 27, loaded: 25, rejected: 2 },
    ]);
    const withoutTimestamps = (items: Array<Record<string, unknown>>) =>
      items.map((item) => (item.SK === "JOB" ? Object.fromEntries(Object.entries(item).filter(([k]) => !k.endsWith("At"))) : item));
    assert.equal(after.filter((i) => String(i.SK).startsWith("ORDER#")).length, 25);
    assert.deepEqual(after.filter((i) => i.SK !== "JOB"), before.filter((i) => i.SK !== "JOB"), "order items are identical");
    assert.deepEqual(withoutTimestamps(after), withoutTimestamps(before));
  });

  it("runs 20 executions at once, each to its own exact counts", async () => {
    const jobs = Array.from({ length: 20 }, (_, i) => {
      const orders = validOrders(5 + i, `j${i}o`);
      const bad = Array.from({ length: i % 4 }, (_, k) => `bad${k},c1,-1,EUR,2024-01-01T00:00:00Z`);
      return { i, orders, bad, text: [CSV_HEADER, ...ordersCsv(orders).split("\n").slice(1, -1), ...bad].join("\n") + "\n" };
    });
    const runs = await Promise.all(jobs.map((job) => ingest(emu, `concurrent-${job.i}.csv`, job.text)));
    for (const [n, { jobId, result }] of runs.entries()) {
      const job = jobs[n];
      assert.deepEqual(counts(result), { status: "SUCCEEDED", total: job.orders.length + job.bad.length, loaded: job.orders.length, rejected: job.bad.length }, jobId);
      await assertLoaded(jobId, job.orders);
    }
  });
});
