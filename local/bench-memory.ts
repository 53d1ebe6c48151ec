import { spawn } from "node:child_process";
import { join } from "node:path";
import type { JobInput } from "../lambdas/shared/contracts";
import type { Emulators } from "./emulators";
import { uploadInput } from "./upload";

/** What the parent hands `bench-memory-child.ts`, as JSON in `SPEC_ENV`. */
export interface MemoryChildSpec {
  readonly emulators: Pick<Emulators, "region" | "bucket" | "tableName" | "s3Endpoint" | "dynamoEndpoint" | "env">;
  readonly input: JobInput;
}

export const SPEC_ENV = "BATCH_INGEST_BENCH_MEMORY_SPEC";

export interface MemoryRun {
  readonly rows: number;
  readonly maxRssBytes: number;
  readonly status: string;
  readonly error?: string;
  readonly durationMs: number;
}

/** Runs one job on `file` in a fresh Node process and returns that process's peak RSS. */
export async function measurePeakRss(emulators: Emulators, file: string, rows: number): Promise<MemoryRun> {
  const jobId = `bench-memory-${rows}`;
  const input = await uploadInput(emulators, file, jobId);
  const spec: MemoryChildSpec = {
    emulators: {
      region: emulators.region,
      bucket: emulators.bucket,
      tableName: emulators.tableName,
      s3Endpoint: emulators.s3Endpoint,
      dynamoEndpoint: emulators.dynamoEndpoint,
      env: emulators.env,
    },
    input: { bucket: input.bucket, key: input.key, jobId },
  };
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "--require", "tsx/cjs", join(__dirname, "bench-memory-child.ts")], {
    env: { ...process.env, [SPEC_ENV]: JSON.stringify(spec) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    // Keep the tail only: handler logs may come before the result line.
    stdout = (stdout + chunk).slice(-64 * 1024);
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (code !== 0) throw new Error(`the memory run on ${rows} rows exited with ${code}: ${last}`);
  const parsed = JSON.parse(last) as Omit<MemoryRun, "rows">;
  return { rows, ...parsed };
}
