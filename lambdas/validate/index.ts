import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import type { ValidateEvent, ValidateResult } from "../shared/contracts";
import { positiveIntEnv } from "../shared/env";
import { InvalidInputFile } from "../shared/errors";
import { validateEventSchema } from "../shared/events";
import { createHandler } from "../shared/handler";
import { createLogger } from "../shared/logger";
import { s3 } from "../shared/s3-client";
import { callSdk } from "../shared/sdk-errors";
import { SNIFF_BYTES, decideFormat, readColumns, rejectBinary } from "./sniff";

/** 100 MiB: what one transform invocation streams comfortably within its timeout. */
export const DEFAULT_MAX_FILE_BYTES = 104_857_600;
const INCOMING_PREFIX = "incoming/";

export interface ValidateConfig {
  /** Largest input accepted, in bytes (`MAX_FILE_BYTES`). */
  readonly maxFileBytes: number;
}

export function validateConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ValidateConfig {
  return { maxFileBytes: positiveIntEnv("MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES, env) };
}

/** `incoming/2024/orders.csv` -> `archive/2024/orders.csv`. */
export function archiveKeyFor(key: string): string {
  return `archive/${key.startsWith(INCOMING_PREFIX) ? key.slice(INCOMING_PREFIX.length) : key}`;
}

/** CopyObject's `CopySource`: the bucket, then the key with each path segment URL-encoded. */
export function copySourceFor(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * File-level checks, each failing with a named error that says what to fix: the object exists
 * (`InputNotFound`); it is neither empty nor over the size limit, not binary, in a format we read,
 * and its header has every required column (`InvalidInputFile`). Reads only the first bytes.
 */
export async function validateInput(event: ValidateEvent, config: ValidateConfig = validateConfigFromEnv()): Promise<ValidateResult> {
  const started = Date.now();
  const { bucket, key } = event;
  const where = `s3://${bucket}/${key}`;
  const head = await callSdk({ operation: `HeadObject ${where}` }, () => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  const sizeBytes = head.ContentLength ?? 0;
  if (sizeBytes === 0) {
    throw new InvalidInputFile(`${where} is empty (0 bytes): upload a file with a header row and at least one order`);
  }
  if (sizeBytes > config.maxFileBytes) {
    throw new InvalidInputFile(
      `${where} is ${sizeBytes} bytes, over the limit of ${config.maxFileBytes} bytes (MAX_FILE_BYTES): split it into smaller files`,
    );
  }
  const firstBytes = await readFirstBytes(bucket, key, Math.min(sizeBytes, SNIFF_BYTES));
  try {
    rejectBinary(firstBytes);
    const format = decideFormat(key, firstBytes);
    const columns = readColumns(format, firstBytes, firstBytes.length >= sizeBytes);
    return {
      format,
      sizeBytes,
      etag: (head.ETag ?? "").replace(/^"|"$/g, ""),
      columns,
      archiveKey: archiveKeyFor(key),
      copySource: copySourceFor(bucket, key),
      durationMs: Date.now() - started,
    };
  } catch (err) {
    if (err instanceof InvalidInputFile) {
      throw new InvalidInputFile(`${where}: ${err.message}`, { cause: err.cause });
    }
    throw err;
  }
}

/** One Range GET of the first `length` bytes, so validate's cost does not grow with the file. */
async function readFirstBytes(bucket: string, key: string, length: number): Promise<Buffer> {
  return callSdk({ operation: `GetObject s3://${bucket}/${key} (first ${length} bytes)` }, async () => {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${length - 1}` }));
    return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
  });
}

const logger = createLogger("validate");

export const handler = createHandler({ name: "validate", schema: validateEventSchema, logger, run: (event) => validateInput(event) });
