import { z } from "zod";
import type { JobInput, LoadEvent, LoadResult, ReportEvent, TransformEvent, TransformResult, ValidateEvent, ValidateResult } from "./contracts";
import { InvalidEvent } from "./errors";
import { preview } from "./record";

/**
 * Schemas of every handler event. The state machine builds these events with its Parameters, so
 * a mismatch is a wiring bug; failing at once with `InvalidEvent` naming the field beats failing
 * later with a confusing S3 or DynamoDB error.
 */
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name: 3–63 characters of a–z, 0–9, . or -");
const key = z.string().min(1, "must be a non-empty S3 key").max(1024, "must be an S3 key of at most 1024 characters");
const jobId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be 1–128 characters of A–Z, a–z, 0–9, _ or -");
const count = z.number().int("must be a whole number").nonnegative("must not be negative");
const isoInstant = z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time, like 2024-05-01T10:00:00Z" });
const format = z.enum(["csv", "jsonl"], { error: 'must be "csv" or "jsonl"' });
const reasons = z.record(z.string(), count);

const jobInput = z.object({ bucket, key, jobId }) satisfies z.ZodType<JobInput>;

export const validateEventSchema = jobInput.extend({
  key: key.regex(/^incoming\/./, 'must be under "incoming/": the workflow only ingests objects uploaded there'),
}) satisfies z.ZodType<ValidateEvent>;

export const transformEventSchema = jobInput.extend({ format }) satisfies z.ZodType<TransformEvent>;

export const loadEventSchema = z.object({ bucket, jobId, processedKey: key, expected: count }) satisfies z.ZodType<LoadEvent>;

const validateResult = z.object({
  format,
  sizeBytes: count,
  etag: z.string(),
  columns: z.array(z.string()),
  archiveKey: key,
  copySource: z.string().min(1),
  durationMs: count.optional(),
}) satisfies z.ZodType<ValidateResult>;

const transformResult = z.object({
  total: count,
  valid: count,
  rejected: count,
  processedKey: key,
  rejectedKey: key,
  reasons,
  durationMs: count,
}) satisfies z.ZodType<TransformResult>;

const loadResult = z.object({ loaded: count, batches: count, retriedItems: count, durationMs: count }) satisfies z.ZodType<LoadResult>;

export const reportEventSchema = jobInput.extend({
  startedAt: isoInstant,
  validation: validateResult,
  transform: transformResult,
  load: loadResult,
}) satisfies z.ZodType<ReportEvent>;

function valueAt(event: unknown, path: readonly PropertyKey[]): unknown {
  let value = event;
  for (const step of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

/** Parses `event` or throws `InvalidEvent` naming each bad field, its value and what it must be. */
export function parseEvent<T>(handlerName: string, schema: z.ZodType<T>, event: unknown): T {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new InvalidEvent(`${handlerName} event must be a JSON object; got ${preview(event)}`);
  }
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    const value = valueAt(event, issue.path);
    return value === undefined ? `${field} is missing` : `${field} ${issue.message}; got ${preview(value)}`;
  });
  throw new InvalidEvent(`${handlerName} event is invalid: ${problems.join("; ")}. The state machine's Parameters build this event: check them.`);
}
