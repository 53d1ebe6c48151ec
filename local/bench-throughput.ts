import { BatchWriteItemCommand, QueryCommand, type AttributeValue, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { jobKey, ORDER_SORT_KEY_PREFIX, orderKey } from "../infra/shared/table";
import { createStateTable, type Emulators } from "./emulators";
import { validOrder } from "./orders-generator";
import { runJob } from "./runtime";
import { uploadInput } from "./upload";

export interface ThroughputResult {
  readonly rows: number;
  readonly status: string;
  readonly error?: string;
  readonly loaded: number;
  readonly rejected: number;
  /** The execution alone: from RecordJobStarted to the end, upload and bundling excluded. */
  readonly e2eMs: number;
  readonly e2eRowsPerSec: number;
  readonly baselineItems: number;
  readonly baselineMs: number;
  readonly baselineItemsPerSec: number;
  readonly baselineConcurrency: number;
  /** e2e rows/s over dynalite's own BatchWriteItem items/s; the goal is >= 0.7. */
  readonly ratio: number;
}

/** BatchWriteItem's own limit per request. */
const BATCH_SIZE = 25;
/** Requests in flight while measuring dynalite's own rate. */
export const BASELINE_CONCURRENCY = 8;

type Item = Record<string, AttributeValue>;

function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

/** One loaded order item from the table, so the baseline writes items of the same shape and size. */
async function sampleItem(emulators: Emulators, jobId: string): Promise<Item> {
  const { Items } = await emulators.dynamo.send(
    new QueryCommand({
      TableName: emulators.tableName,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :order)",
      ExpressionAttributeValues: { ":pk": { S: jobKey(jobId).PK }, ":order": { S: ORDER_SORT_KEY_PREFIX } },
      Limit: 1,
    }),
  );
  if (Items?.[0]) return Items[0];
  const order = validOrder(0);
  const key = orderKey(jobId, order.orderId);
  return Object.fromEntries([["PK", { S: key.PK }], ["SK", { S: key.SK }], ...Object.entries(order).map(([k, v]) => [k, { S: v }])]);
}

/** dynalite's own BatchWriteItem rate for `count` items shaped like `sample`, in a fresh table. */
async function baselineWrite(emulators: Emulators, sample: Item, count: number): Promise<{ ms: number }> {
  const table = `bench-baseline-${Date.now()}`;
  await createStateTable(emulators.dynamo, table);
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + BATCH_SIZE);
      let requests: WriteRequest[] = [];
      for (let i = from; i < next; i++) {
        const key = orderKey("baseline", `o${i}`);
        requests.push({ PutRequest: { Item: { ...sample, PK: { S: key.PK }, SK: { S: key.SK }, orderId: { S: `o${i}` } } } });
      }
      while (requests.length > 0) {
        const { UnprocessedItems } = await emulators.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
        requests = UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: BASELINE_CONCURRENCY }, worker));
  return { ms: Date.now() - started };
}

/** dynalite's own write rate, then the whole workflow on `file` (holding `rows` orders). */
export async function measureThroughput(emulators: Emulators, file: string, warmUpFile: string, rows: number): Promise<ThroughputResult> {
  const quiet = { POWERTOOLS_LOG_LEVEL: "ERROR", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  // A small job first: it loads the bundles and yields a real order item for the baseline to copy.
  // Then the baseline, on a fresh table, so neither measurement runs against the other's data.
  const warmUp = await uploadInput(emulators, warmUpFile, "bench-warm-up");
  await runJob({ emulators, input: { bucket: warmUp.bucket, key: warmUp.key, jobId: "bench-warm-up" }, env: quiet });
  const baseline = await baselineWrite(emulators, await sampleItem(emulators, "bench-warm-up"), rows);
  const jobId = `bench-throughput-${rows}`;
  const input = await uploadInput(emulators, file, jobId);
  const result = await runJob({ emulators, input: { bucket: input.bucket, key: input.key, jobId }, env: quiet });
  const record = result.jobRecord ?? {};
  const e2eRowsPerSec = rate(rows, result.durationMs);
  const baselineItemsPerSec = rate(rows, baseline.ms);
  return {
    rows,
    status: result.status,
    error: result.error,
    loaded: Number(record.loaded ?? 0),
    rejected: Number(record.rejected ?? 0),
    e2eMs: result.durationMs,
    e2eRowsPerSec,
    baselineItems: rows,
    baselineMs: baseline.ms,
    baselineItemsPerSec,
    baselineConcurrency: BASELINE_CONCURRENCY,
    ratio: baselineItemsPerSec > 0 ? e2eRowsPerSec / baselineItemsPerSec : 0,
  };
}
