import { GetObjectCommand } from "@aws-sdk/client-s3";
import { BatchWriteItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { Readable } from "node:stream";
import { orderKey } from "../../infra/shared/table";
import type { LoadEvent, LoadResult } from "../shared/contracts";
import { dynamo } from "../shared/dynamo-client";
import { requireEnv } from "../shared/env";
import { CountMismatch, InvalidInputFile } from "../shared/errors";
import { loadEventSchema } from "../shared/events";
import { createHandler } from "../shared/handler";
import { LineFramer } from "../shared/line-framer";
import { createLogger } from "../shared/logger";
import { frameRecords, type RawRecord } from "../shared/raw-record";
import { ORDER_FIELDS, type Order } from "../shared/record";
import { s3 } from "../shared/s3-client";
import { callSdk } from "../shared/sdk-errors";
import { BATCH_SIZE, DEFAULT_RETRY_POLICY, writeBatch, type RetryPolicy, type SendBatch, type WriteRequest } from "./batch-writer";

/** Batches in flight at once: enough to keep DynamoDB busy, few enough to keep memory flat. */
const CONCURRENT_BATCHES = 8;

export interface LoadConfig {
  readonly tableName: string;
  readonly retry: RetryPolicy;
}

export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LoadConfig {
  return { tableName: requireEnv("TABLE_NAME", env), retry: DEFAULT_RETRY_POLICY };
}

/**
 * A `processed/` row as transform writes it: exactly the order fields, each a non-empty string.
 * Transform checked every value against the record schema before writing it, and only transform
 * may write under processed/ (infra/access.ts), so load checks the shape, which catches a truncated
 * or foreign file, without running the whole schema a second time on every row.
 */
export function processedOrder(value: unknown): Order | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const row = value as Record<string, unknown>;
  if (Object.keys(row).length !== ORDER_FIELDS.length) return undefined;
  for (const field of ORDER_FIELDS) {
    const v = row[field];
    if (typeof v !== "string" || v.length === 0) return undefined;
  }
  return row as Order;
}

type Item = Record<string, AttributeValue>;

/**
 * The table item of one order, in DynamoDB's attribute-value form: the deterministic key from
 * `infra/shared/table.ts`, then the order. Every attribute is a string (amounts are normalised
 * decimal strings), so the item is built directly rather than through a generic marshaller.
 */
export function orderItem(jobId: string, record: RawRecord, source: string): Item {
  let value: unknown;
  try {
    value = JSON.parse(record.bytes.toString("utf8"));
  } catch {
    value = undefined;
  }
  const order = record.oversized ? undefined : processedOrder(value);
  if (!order) {
    throw new InvalidInputFile(`${source} line ${record.line} is not a normalised order; transform writes this file, so run the whole job again`);
  }
  const key = orderKey(jobId, order.orderId);
  const item: Item = { PK: { S: key.PK }, SK: { S: key.SK }, entity: { S: "order" }, jobId: { S: jobId } };
  for (const field of ORDER_FIELDS) item[field] = { S: order[field] };
  return item;
}

function batchSender(tableName: string): SendBatch {
  return async (requests) => {
    const output = await callSdk({ operation: `BatchWriteItem ${tableName}` }, () =>
      dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests.map((r) => ({ PutRequest: { Item: r.PutRequest.Item as Item } })) } })),
    );
    return (output.UnprocessedItems?.[tableName] ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
  };
}

/**
 * Streams `processed/<jobId>.jsonl` into the table, 25 items per BatchWriteItem, a few batches at
 * a time. Keys are deterministic in (jobId, orderId), so a re-run overwrites the same items: no
 * duplicates, nothing lost. Fails with `CountMismatch` when the file holds a different number of
 * orders than transform reported, as soon as it has read one too many.
 */
export async function loadOrders(event: LoadEvent, config: LoadConfig = loadConfigFromEnv()): Promise<LoadResult> {
  const started = Date.now();
  const { bucket, jobId, processedKey, expected } = event;
  const where = `s3://${bucket}/${processedKey}`;
  const response = await callSdk({ operation: `GetObject ${where}` }, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: processedKey })));
  const body = response.Body;
  if (!(body instanceof Readable)) throw new Error(`GetObject ${where} returned no Node.js stream`);

  const send = batchSender(config.tableName);
  const inflight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let loaded = 0;
  let batches = 0;
  let retriedItems = 0;
  const launch = (requests: WriteRequest[]) => {
    batches++;
    const write: Promise<void> = writeBatch(send, requests, config.retry)
      .then(
        (result) => {
          retriedItems += result.retriedItems;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => inflight.delete(write));
    inflight.add(write);
  };
  const mismatch = (read: string) =>
    new CountMismatch(`${where} holds ${read} orders but transform reported ${expected} valid rows; some row would be lost or duplicated, so the job stops here`);

  try {
    let batch: WriteRequest[] = [];
    for await (const record of frameRecords(body, new LineFramer())) {
      loaded++;
      if (loaded > expected) throw mismatch(`more than ${expected}`);
      batch.push({ PutRequest: { Item: orderItem(jobId, record, where) } });
      if (batch.length === BATCH_SIZE) {
        launch(batch);
        batch = [];
        if (inflight.size >= CONCURRENT_BATCHES) await Promise.race(inflight);
      }
      if (failure) throw failure.error;
    }
    if (batch.length > 0) launch(batch);
    await Promise.all(inflight);
    if (failure) throw failure.error;
  } catch (error) {
    body.destroy();
    throw error;
  }
  if (loaded !== expected) throw mismatch(String(loaded));
  return { loaded, batches, retriedItems, durationMs: Date.now() - started };
}

const logger = createLogger("load");

export const handler = createHandler({ name: "load", schema: loadEventSchema, logger, run: (event) => loadOrders(event) });
