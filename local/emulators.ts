import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { TABLE_KEY_SCHEMA } from "../infra/shared/table";

/** s3rver accepts only this key pair; dynalite accepts any, so both share it. */
export const EMULATOR_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const EMULATOR_REGION = "us-east-1";

export interface EmulatorOptions {
  /** Bucket to create; default `batch-ingest-local`. */
  readonly bucket?: string;
  /** Table to create with the infrastructure's key schema; default `batch-ingest-local-state`. */
  readonly tableName?: string;
}

export interface Emulators {
  readonly region: string;
  readonly bucket: string;
  readonly tableName: string;
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  /**
   * What a handler needs in `process.env` to reach these emulators. Apply it before a handler
   * module is loaded: SDK clients read their endpoint and credentials when they are created.
   */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts s3rver and an in-memory dynalite on 127.0.0.1 (ephemeral ports), in a worker thread of
 * this process, then creates the bucket and the table. No AWS account, no Docker.
 */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const bucket = options.bucket ?? "batch-ingest-local";
  const tableName = options.tableName ?? "batch-ingest-local-state";
  const stops: Array<() => Promise<void>> = [];
  try {
    const { s3Endpoint, dynamoEndpoint } = await startServers(stops);
    const env = emulatorEnv(s3Endpoint, dynamoEndpoint, tableName);
    const s3 = new S3Client({
      region: EMULATOR_REGION,
      endpoint: s3Endpoint,
      forcePathStyle: true,
      credentials: EMULATOR_CREDENTIALS,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    const dynamo = new DynamoDBClient({ region: EMULATOR_REGION, endpoint: dynamoEndpoint, credentials: EMULATOR_CREDENTIALS });
    stops.push(async () => {
      s3.destroy();
      dynamo.destroy();
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await createStateTable(dynamo, tableName);
    return {
      region: EMULATOR_REGION,
      bucket,
      tableName,
      s3Endpoint,
      dynamoEndpoint,
      s3,
      dynamo,
      env,
      stop: () => stopAll(stops),
    };
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
}

/** The environment that points the AWS SDK v3 at the emulators. */
export function emulatorEnv(s3Endpoint: string, dynamoEndpoint: string, tableName: string): Record<string, string> {
  return {
    AWS_REGION: EMULATOR_REGION,
    AWS_DEFAULT_REGION: EMULATOR_REGION,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    // s3rver cannot verify the flexible checksums that SDK v3 adds to streamed bodies by default.
    AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
    AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
    // s3rver serves path-style URLs on 127.0.0.1; real S3 uses virtual-hosted style.
    S3_FORCE_PATH_STYLE: "true",
    TABLE_NAME: tableName,
  };
}

/** Where the worker's script lives; plain JavaScript so the worker needs no TypeScript loader. */
const SERVERS_SCRIPT = join(__dirname, "emulator-servers.js");

type ServerMessage = { s3Port: number; dynamoPort: number } | { error: string } | { stopped: true };

/**
 * Starts s3rver and dynalite in a worker thread of this process and returns their endpoints. On
 * their own thread they serve while the handlers compute, the way S3 and DynamoDB run beside Lambda.
 */
async function startServers(stops: Array<() => Promise<void>>): Promise<{ s3Endpoint: string; dynamoEndpoint: string }> {
  const directory = mkdtempSync(join(tmpdir(), "batch-ingest-s3-"));
  stops.push(async () => rmSync(directory, { recursive: true, force: true }));
  const worker = new Worker(SERVERS_SCRIPT, { workerData: { directory } });
  stops.push(() => stopWorker(worker));
  const ready = await new Promise<ServerMessage>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the emulators' worker exited with code ${code} before it was ready`)));
  });
  if ("error" in ready) throw new Error(`the emulators could not start: ${ready.error}`);
  if (!("s3Port" in ready)) throw new Error("the emulators' worker answered before it started");
  worker.removeAllListeners("exit");
  return { s3Endpoint: `http://127.0.0.1:${ready.s3Port}`, dynamoEndpoint: `http://127.0.0.1:${ready.dynamoPort}` };
}

async function stopWorker(worker: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5_000);
    worker.once("message", () => {
      clearTimeout(timer);
      resolve();
    });
    worker.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage("stop");
  });
  await worker.terminate();
}

/** Creates the table with the key schema the Pulumi program declares (`infra/shared/table.ts`). */
export async function createStateTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey } = TABLE_KEY_SCHEMA;
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: partitionKey, AttributeType: "S" },
        { AttributeName: sortKey, AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: partitionKey, KeyType: "HASH" },
        { AttributeName: sortKey, KeyType: "RANGE" },
      ],
    }),
  );
  for (let attempt = 0; attempt < 50; attempt++) {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`table ${tableName} did not become ACTIVE on dynalite`);
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops.reverse()) {
    await stop().catch(() => undefined);
  }
  stops.length = 0;
}
