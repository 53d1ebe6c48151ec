import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import assert from "node:assert/strict";
import type { LoadEvent } from "../shared/contracts";
import { startHandlerEnv, type HandlerTestEnv } from "../testing/handler-env";
import { DEFAULT_RETRY_POLICY } from "./batch-writer";

type LoadModule = typeof import("./index");

const order = (i: number) => ({ orderId: `O-${i}`, customerId: "C-1", amount: `${i}.50`, currency: "EUR", createdAt: "2024-05-01T10:00:00.000Z" });
const jsonl = (count: number) => Array.from({ length: count }, (_, i) => `${JSON.stringify(order(i))}\n`).join("");

describe("load handler (on the emulators)", function () {
  let env: HandlerTestEnv;
  let load: LoadModule;
  let documents: DynamoDBDocumentClient;

  before(async () => {
    env = await startHandlerEnv();
    load = env.load<LoadModule>("load");
    documents = DynamoDBDocumentClient.from(env.emulators.dynamo);
  });
  after(() => env?.stop());

  const config = () => ({ tableName: env.emulators.tableName, retry: DEFAULT_RETRY_POLICY });

  async function items(jobId: string): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({ TableName: env.emulators.tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": `JOB#${jobId}` }, ExclusiveStartKey: start }),
      );
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async function event(jobId: string, body: string, expected: number): Promise<LoadEvent> {
    const processedKey = `processed/${jobId}.jsonl`;
    await env.put(processedKey, body);
    return { bucket: env.bucket, jobId, processedKey, expected };
  }

  it("writes every order under its deterministic key, 25 per batch", async () => {
    const result = await load.loadOrders(await event("load-1", jsonl(60), 60), config());
    assert.deepEqual([result.loaded, result.batches, result.retriedItems], [60, 3, 0]);
    const stored = await items("load-1");
    assert.equal(stored.length, 60);
    assert.deepEqual(
      stored.find((item) => item.orderId === "O-7"),
      { PK: "JOB#load-1", SK: "ORDER#O-7", entity: "order", jobId: "load-1", ...order(7) },
    );
  });

  it("writes the same items again on a re-run: no duplicates, nothing lost", async () => {
    const e = await event("load-2", jsonl(30), 30);
    await load.loadOrders(e, config());
    const first = await items("load-2");
    await load.loadOrders(e, config());
    assert.deepEqual(await items("load-2"), first);
  });

  it("loads an empty processed file as zero orders", async () => {
    assert.deepEqual((({ loaded, batches }) => [loaded, batches])(await load.loadOrders(await event("load-3", "", 0), config())), [0, 0]);
  });

  const mismatches: Array<[string, number, number, RegExp]> = [
    ["fewer orders than expected", 3, 5, /holds 3 orders but transform reported 5 valid rows/],
    ["more orders than expected", 30, 5, /holds more than 5 orders but transform reported 5 valid rows/],
  ];
  for (const [name, count, expected, message] of mismatches) {
    it(`fails with CountMismatch when the file holds ${name}`, async () => {
      await assert.rejects(load.loadOrders(await event(`load-m${count}`, jsonl(count), expected), config()), (err: Error) => {
        assert.equal(err.name, "CountMismatch");
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it("fails on a processed line that is not a normalised order, naming the line", async () => {
    const body = `${JSON.stringify(order(1))}\n{"orderId":"x"}\n`;
    await assert.rejects(load.loadOrders(await event("load-bad", body, 2), config()), /load-bad\.jsonl line 2 is not a normalised order/);
  });

  it("fails with InputNotFound when the processed file does not exist", async () => {
    await assert.rejects(load.loadOrders({ bucket: env.bucket, jobId: "gone", processedKey: "processed/gone.jsonl", expected: 1 }, config()), { name: "InputNotFound" });
  });

  it("handler takes the table from TABLE_NAME and fails clearly without it", async () => {
    const e = await event("load-env", jsonl(2), 2);
    assert.equal((await load.handler(e)).loaded, 2);
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await assert.rejects(load.handler(e), /environment variable TABLE_NAME is not set/);
    } finally {
      process.env.TABLE_NAME = saved;
    }
  });

  it("handler fails a negative expected count with InvalidEvent", async () => {
    await assert.rejects(load.handler({ bucket: env.bucket, jobId: "j", processedKey: "processed/j.jsonl", expected: -1 }), (err: Error) => {
      return err.name === "InvalidEvent" && /expected must not be negative; got -1/.test(err.message);
    });
  });
});
