import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import type { JobInput } from "../lambdas/shared/contracts";
import type { Emulators } from "./emulators";

/** Where an uploaded file lands: `incoming/<file name>`, the prefix the workflow is triggered on. */
export function incomingKey(file: string): string {
  return `incoming/${basename(file)}`;
}

/** Streams a local file into the emulated bucket under `incoming/` and returns the execution input. */
export async function uploadInput(emulators: Emulators, file: string, jobId: string): Promise<JobInput & { sizeBytes: number }> {
  const sizeBytes = statSync(file).size;
  const key = incomingKey(file);
  await emulators.s3.send(
    new PutObjectCommand({ Bucket: emulators.bucket, Key: key, Body: createReadStream(file), ContentLength: sizeBytes }),
  );
  return { bucket: emulators.bucket, key, jobId, sizeBytes };
}
