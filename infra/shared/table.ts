/**
 * The one key layout of the state table, shared by the Pulumi program (which declares the table),
 * the handlers (which write it) and the local runtime (which creates it on dynalite).
 * The state machine definition writes the job item with the same layout: `JOB#<jobId>` / `JOB`.
 */
export const TABLE_KEY_SCHEMA = {
  partitionKey: "PK",
  sortKey: "SK",
} as const;

/** Attribute that DynamoDB TTL reads (enabled by the Pulumi program; the emulator has no TTL calls). */
export const TTL_ATTRIBUTE = "expiresAt";

export const JOB_SORT_KEY = "JOB";

/** Sort keys of a job's order items start with this; query `begins_with(SK, ...)` to list them. */
export const ORDER_SORT_KEY_PREFIX = "ORDER#";

export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

/** Key of the job record written by RecordJobStarted / RecordJobSucceeded / RecordJobFailed. */
export function jobKey(jobId: string): ItemKey {
  return { PK: `JOB#${jobId}`, SK: JOB_SORT_KEY };
}

/**
 * Key of one loaded order. Deterministic in (jobId, orderId), so re-running a job overwrites the
 * same items instead of adding duplicates; duplicate orderIds inside one file are rejected earlier.
 */
export function orderKey(jobId: string, orderId: string): ItemKey {
  return { PK: jobKey(jobId).PK, SK: `${ORDER_SORT_KEY_PREFIX}${orderId}` };
}
