import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Emulators } from "./emulators";
import { realBundles } from "./real-bundles";
import { noRetryWaits, runJob, type JobResult, type RunJobOptions } from "./runtime";
import { jobKey, ORDER_SORT_KEY_PREFIX } from "../infra/shared/table";

/**
 * Handler logs would drown the test report (failures are asserted on results, not logs), and each
 * bundle carries its own SDK, which would repeat the SDK's Node-version warning once per bundle.
 */
export const QUIET_HANDLERS = { POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } as const;

let sequence = 0;

/** A job id unique within the test run. */
export function nextJobId(label: string): string {
  return `${label.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 40)}-${++sequence}`;
}

export async function putInput(emulators: Emulators, key: string, body: string | Uint8Array): Promise<void> {
  await emulators.s3.send(new PutObjectCommand({ Bucket: emulators.bucket, Key: key, Body: body }));
}

export async function objectExists(emulators: Emulators, key: string): Promise<boolean> {
  return emulators.s3.send(new HeadObjectCommand({ Bucket: emulators.bucket, Key: key })).then(
    () => true,
    () => false,
  );
}

/**
 * Uploads `body` to `incoming/<jobId>/<name>` (unless it is undefined: a missing object) and runs
 * one job on it with the real bundles and no retry waits.
 */
export async function ingest(
  emulators: Emulators,
  name: string,
  body: string | Uint8Array | undefined,
  options: Partial<RunJobOptions> & { jobId?: string } = {},
): Promise<{ jobId: string; key: string; result: JobResult }> {
  const jobId = options.jobId ?? nextJobId(name);
  const key = `incoming/${jobId}/${name}`;
  if (body !== undefined) await putInput(emulators, key, body);
  const result = await runJob({
    emulators,
    input: { bucket: emulators.bucket, key, jobId },
    distDir: await realBundles(),
    retryIntervalOverrides: noRetryWaits(),
    env: QUIET_HANDLERS,
    ...options,
  });
  return { jobId, key, result };
}

/** Every item of a job (`PK = JOB#<jobId>`): the job record and the loaded orders, sorted by SK. */
export async function jobItems(emulators: Emulators, jobId: string): Promise<Array<Record<string, unknown>>> {
  const doc = DynamoDBDocumentClient.from(emulators.dynamo);
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({ TableName: emulators.tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": jobKey(jobId).PK }, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => String(a.SK).localeCompare(String(b.SK)));
}

export async function orderItems(emulators: Emulators, jobId: string): Promise<Array<Record<string, unknown>>> {
  return (await jobItems(emulators, jobId)).filter((item) => String(item.SK).startsWith(ORDER_SORT_KEY_PREFIX));
}

/** The counts an outcome must add up to: every row loaded or rejected, none dropped. */
export function counts(result: JobResult): { status: string; total: unknown; loaded: unknown; rejected: unknown } {
  return { status: result.status, total: result.jobRecord?.total, loaded: result.jobRecord?.loaded, rejected: result.jobRecord?.rejected };
}
