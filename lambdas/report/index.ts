import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { ReportEvent, ReportResult } from "../shared/contracts";
import { stringEnv } from "../shared/env";
import { CountMismatch } from "../shared/errors";
import { reportEventSchema } from "../shared/events";
import { createHandler } from "../shared/handler";
import { createLogger } from "../shared/logger";
import { s3 } from "../shared/s3-client";
import { callSdk } from "../shared/sdk-errors";

export const DEFAULT_RELEASE_VERSION = "0.0.0-local";

export const reportKeyFor = (jobId: string) => `reports/${jobId}.json`;

export interface ReportConfig {
  /** The release that ran the job (`RELEASE_VERSION`), so a report says which code produced it. */
  readonly version: string;
  readonly now: () => Date;
}

export function reportConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReportConfig {
  return { version: stringEnv("RELEASE_VERSION", DEFAULT_RELEASE_VERSION, env), now: () => new Date() };
}

/** The document written to `reports/<jobId>.json`. */
export interface ReportDocument {
  readonly jobId: string;
  readonly version: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly input: { readonly bucket: string; readonly key: string; readonly format: string; readonly sizeBytes: number; readonly etag: string; readonly archiveKey: string };
  readonly counts: { readonly total: number; readonly valid: number; readonly loaded: number; readonly rejected: number };
  /** Reason code -> rejected rows with that reason; a row with two reasons counts under both. */
  readonly reasons: Record<string, number>;
  readonly durationsMs: { readonly validate?: number; readonly transform: number; readonly load: number; readonly total: number };
  readonly outputs: { readonly processedKey: string; readonly rejectedKey: string; readonly reportKey: string };
}

export function buildReport(event: ReportEvent, config: ReportConfig): ReportDocument {
  const { jobId, bucket, key, startedAt, validation, transform, load } = event;
  if (transform.total !== load.loaded + transform.rejected) {
    throw new CountMismatch(
      `job ${jobId}: ${transform.total} rows read but ${load.loaded} loaded + ${transform.rejected} rejected = ${load.loaded + transform.rejected}; ` +
        `every row must be loaded or rejected, so the job is not reported as a success`,
    );
  }
  const finishedAt = config.now();
  return {
    jobId,
    version: config.version,
    startedAt,
    finishedAt: finishedAt.toISOString(),
    input: { bucket, key, format: validation.format, sizeBytes: validation.sizeBytes, etag: validation.etag, archiveKey: validation.archiveKey },
    counts: { total: transform.total, valid: transform.valid, loaded: load.loaded, rejected: transform.rejected },
    reasons: transform.reasons,
    durationsMs: {
      ...(validation.durationMs === undefined ? {} : { validate: validation.durationMs }),
      transform: transform.durationMs,
      load: load.durationMs,
      total: Math.max(0, finishedAt.getTime() - Date.parse(startedAt)),
    },
    outputs: { processedKey: transform.processedKey, rejectedKey: transform.rejectedKey, reportKey: reportKeyFor(jobId) },
  };
}

/** Checks that every row is accounted for, writes the report, and returns its summary. */
export async function writeReport(event: ReportEvent, config: ReportConfig = reportConfigFromEnv()): Promise<ReportResult> {
  const report = buildReport(event, config);
  const { reportKey } = report.outputs;
  await callSdk({ operation: `PutObject s3://${event.bucket}/${reportKey}` }, () =>
    s3.send(new PutObjectCommand({ Bucket: event.bucket, Key: reportKey, Body: `${JSON.stringify(report, null, 2)}\n`, ContentType: "application/json" })),
  );
  return {
    jobId: report.jobId,
    reportKey,
    total: report.counts.total,
    loaded: report.counts.loaded,
    rejected: report.counts.rejected,
    reasons: report.reasons,
    version: report.version,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
  };
}

const logger = createLogger("report");

export const handler = createHandler({ name: "report", schema: reportEventSchema, logger, run: (event) => writeReport(event) });
