/**
 * The payloads the state machine passes to each handler and the results it reads back.
 * `step-functions/ingest/definition.asl.json` builds these with its Parameters blocks; keep both in step.
 */

/** Execution input: what EventBridge (or the local runtime) starts the workflow with. */
export interface JobInput {
  readonly bucket: string;
  /** Key of the input object, under `incoming/`. */
  readonly key: string;
  /** `[A-Za-z0-9_-]{1,128}`: names the job record, and the processed/, rejected/ and reports/ objects. */
  readonly jobId: string;
}

export type FileFormat = "csv" | "jsonl";

export type ValidateEvent = JobInput;

export interface ValidateResult {
  readonly format: FileFormat;
  readonly sizeBytes: number;
  readonly etag: string;
  /** CSV: the header's column names, in file order. JSON Lines: the keys of the first record. */
  readonly columns: readonly string[];
  /** Where ArchiveInput copies the input: `archive/` + the key without its `incoming/` prefix. */
  readonly archiveKey: string;
  /** `CopySource` for S3 CopyObject: `<bucket>/<key>` with the key URL-encoded. */
  readonly copySource: string;
  /** How long validate took, for the per-stage durations of the report (which omits it when absent). */
  readonly durationMs?: number;
}

export interface TransformEvent extends JobInput {
  readonly format: FileFormat;
}

export interface TransformResult {
  /** Data rows read (header and blank lines not counted). total = valid + rejected, always. */
  readonly total: number;
  readonly valid: number;
  readonly rejected: number;
  /** `processed/<jobId>.jsonl`: one normalised order per line. */
  readonly processedKey: string;
  /** `rejected/<jobId>.jsonl`: `{line, reasons, raw}` per line. */
  readonly rejectedKey: string;
  /** Rejection reason code -> count. */
  readonly reasons: Record<string, number>;
  readonly durationMs: number;
}

export interface LoadEvent {
  readonly bucket: string;
  readonly jobId: string;
  readonly processedKey: string;
  /** The number of valid rows transform wrote; load fails if it reads a different number. */
  readonly expected: number;
}

export interface LoadResult {
  readonly loaded: number;
  readonly batches: number;
  readonly retriedItems: number;
  readonly durationMs: number;
}

export interface ReportEvent extends JobInput {
  readonly startedAt: string;
  readonly validation: ValidateResult;
  readonly transform: TransformResult;
  readonly load: LoadResult;
}

export interface ReportResult {
  readonly jobId: string;
  readonly reportKey: string;
  readonly total: number;
  readonly loaded: number;
  readonly rejected: number;
  readonly reasons: Record<string, number>;
  readonly version: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

/**
 * Error names the handlers throw; Step Functions matches these in `ErrorEquals`.
 * Only `TransientDependencyError` is retried by the definition; the rest fail the job at once.
 */
export const ERROR_NAMES = {
  /** The input can never succeed as it is: wrong format, missing columns, empty, too big. */
  invalidInputFile: "InvalidInputFile",
  /** The object named by the event does not exist. */
  inputNotFound: "InputNotFound",
  /** The event itself is malformed (missing bucket/key/jobId, bad jobId). */
  invalidEvent: "InvalidEvent",
  /** A dependency failed in a way a retry can fix: throttling, 5xx, a dropped connection. */
  transient: "TransientDependencyError",
  /** Counts do not add up: some row would be lost. Never retried, never reported as success. */
  countMismatch: "CountMismatch",
} as const;
